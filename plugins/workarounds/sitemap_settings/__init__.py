from .sitemap_settings import SETTINGS, register

__all__ = ["SETTINGS", "register"]
