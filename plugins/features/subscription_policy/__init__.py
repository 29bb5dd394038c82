from .subscription_policy import SETTINGS, register

__all__ = ["SETTINGS", "register"]
