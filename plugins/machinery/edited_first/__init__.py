from .edited_first import SETTINGS, register

__all__ = ["SETTINGS", "register"]
