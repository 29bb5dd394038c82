from .series_feeds import register

__all__ = ["register"]
