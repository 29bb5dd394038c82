from .template_cache import REQUIRES_BEFORE, register

__all__ = ["REQUIRES_BEFORE", "register"]
