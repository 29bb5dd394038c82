from .fast_markdown import register

__all__ = ["register"]
