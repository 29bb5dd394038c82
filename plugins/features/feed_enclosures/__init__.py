from .feed_enclosures import register

__all__ = ["register"]
