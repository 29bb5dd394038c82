from .series_nav import REQUIRES_BEFORE, register

__all__ = ["REQUIRES_BEFORE", "register"]
