from .skip_unchanged import register

__all__ = ["register"]
