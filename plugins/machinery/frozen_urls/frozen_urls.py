"""Compute each essay's and page's URL once per build instead of on every use.

Pelican's `Content.url` formats ARTICLE_URL (or PAGE_URL ...) anew on every
access: about 30 µs. Templates, feeds, the sitemap and the plugins read it
tens of thousands of times at 1,000 essays (every series box lists the other
parts): the largest single cost of writing the pages. Once every generator
has finished reading, no URL changes any more, so each is fixed as computed
(compat.fix_url; a `URL:` metadata line is left alone): the same output.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from plugins.machinery import compat, plugin_settings

# Read by plugins/machinery/plugin_settings at the start of the build.
REQUIRES_BEFORE = {"compat": compat.CHECKED_FIRST}

# Every list of content objects the two generators keep.
ARTICLE_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
)
PAGE_LISTS = (
    "pages",
    "translations",
    "hidden_pages",
    "hidden_translations",
    "draft_pages",
    "draft_translations",
)


def _contents(generator) -> list:
    if isinstance(generator, ArticlesGenerator):
        names = ARTICLE_LISTS
    elif isinstance(generator, PagesGenerator):
        names = PAGE_LISTS
    else:
        return []
    return [item for name in names for item in getattr(generator, name, [])]


def freeze_urls(generators) -> None:
    """all_generators_finalized: from here on a URL is read, never recomputed."""
    for generator in generators:
        for content in _contents(generator):
            compat.fix_url(content)


def register() -> None:
    plugin_settings.register()
    signals.all_generators_finalized.connect(freeze_urls)
