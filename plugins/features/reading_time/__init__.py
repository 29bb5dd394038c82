from .reading_time import SETTINGS, register

__all__ = ["SETTINGS", "register"]
