from .content_check import SETTINGS, register

__all__ = ["SETTINGS", "register"]
