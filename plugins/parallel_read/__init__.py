from .parallel_read import register

__all__ = ["register"]
