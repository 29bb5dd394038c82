"""Absolute URLs in feed entries (absolute_feed_urls.py); urls.py is lxml only."""

from .urls import absolutize_html


def register() -> None:
    # Imported here, so that the digest's `from
    # plugins.workarounds.absolute_feed_urls.urls
    # import absolutize_html` does not load Pelican.
    from .absolute_feed_urls import register as register_signals

    register_signals()


__all__ = ["absolutize_html", "register"]
