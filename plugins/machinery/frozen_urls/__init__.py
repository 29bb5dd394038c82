from .frozen_urls import register

__all__ = ["register"]
