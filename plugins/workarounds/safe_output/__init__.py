from .safe_output import register

__all__ = ["register"]
