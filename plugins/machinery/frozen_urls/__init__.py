from .frozen_urls import REQUIRES_BEFORE, register

__all__ = ["REQUIRES_BEFORE", "register"]
