from .site_origin import register

__all__ = ["register"]
