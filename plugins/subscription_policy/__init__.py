from .subscription_policy import register

__all__ = ["register"]
