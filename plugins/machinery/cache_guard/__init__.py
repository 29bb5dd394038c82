from .cache_guard import register

__all__ = ["register"]
