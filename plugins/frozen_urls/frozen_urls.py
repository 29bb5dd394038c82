"""Compute each essay's and page's URL once per build instead of on every use.

Pelican's `Content.url` is a property that formats ARTICLE_URL (or PAGE_URL,
DRAFT_URL ...) anew on every access, resolving the source path against the
content folder each time: about 30 µs. Templates, feeds, the sitemap and the
plugins read it tens of thousands of times on a site of 1,000 essays (every
series box lists the other parts), which made it the largest single cost of
writing the pages.

Once every generator has finished reading, nothing changes a URL any more,
so this plugin stores each one in `override_url`: the attribute Pelican's
own `url` property returns first when it is set (a `URL:` metadata line sets
it too, and is left alone). The value is the one the property computed, so
the output is the same.
"""

from __future__ import annotations

try:  # as Pelican loaded it, first in PLUGINS
    import compat
except ModuleNotFoundError:  # imported from the project's root (tests, authoring)
    from plugins import compat
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

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
    signals.all_generators_finalized.connect(freeze_urls)
