from .essay_outline import outline, register

__all__ = ["outline", "register"]
