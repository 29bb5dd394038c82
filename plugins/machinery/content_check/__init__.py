from .content_check import REQUIRES_BEFORE, SETTINGS, register

__all__ = ["REQUIRES_BEFORE", "SETTINGS", "register"]
