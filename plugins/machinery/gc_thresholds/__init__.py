from .gc_thresholds import register

__all__ = ["register"]
