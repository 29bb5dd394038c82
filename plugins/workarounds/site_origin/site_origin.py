"""Give templates the site's absolute address as SITE_ORIGIN.

With RELATIVE_URLS (development) Pelican replaces SITEURL in every page's
context with a relative path such as "..", but canonical links, Open Graph,
JSON-LD and robots.txt's Sitemap line must be absolute. SITE_ORIGIN is the
SITEURL setting as configured: http://127.0.0.1:8000 in development, the
published address in production.
"""

from __future__ import annotations

from pelican import signals


def add_site_origin(generator) -> None:
    generator.context["SITE_ORIGIN"] = generator.settings["SITEURL"].rstrip("/")


def register() -> None:
    signals.generator_init.connect(add_site_origin)
