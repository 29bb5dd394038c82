from .series_feeds import SETTINGS, register

__all__ = ["SETTINGS", "register"]
