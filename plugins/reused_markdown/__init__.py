from .reused_markdown import register

__all__ = ["register"]
