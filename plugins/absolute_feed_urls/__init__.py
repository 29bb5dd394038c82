from .absolute_feed_urls import absolutize_html, register

__all__ = ["absolutize_html", "register"]
