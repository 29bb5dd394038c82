"""Atom and RSS feeds per series, written with Pelican's own feed writer.

Pelican has per-category and per-tag feeds but none per series, and
pelican-series adds none. Settings, in pelicanconf.py:

    SERIES_FEEDS = {
        "atom": "feeds/series/{slug}.atom.xml",   # None: no Atom feed
        "rss": "feeds/series/{slug}.rss.xml",     # None: no RSS feed
    }

Each published article in a series gets `article.series_feeds`, a dict of the
same keys holding the feed paths, for autodiscovery links in the theme.

The series feeds are written with Pelican's own feeds, in the articles
generator's `generate_feeds` step, with the site's own feeds.
"""

from __future__ import annotations

from collections import defaultdict

from pelican import signals
from pelican.utils import slugify

from plugins.machinery import plugin_settings
from plugins.machinery.plugin_settings import Option, SettingsDict, optional, path_with

FEED_TYPES = ("atom", "rss")

SERIES_FEEDS = SettingsDict(
    "SERIES_FEEDS",
    {kind: Option(None, optional(path_with("{slug}"))) for kind in FEED_TYPES},
)
# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (SERIES_FEEDS,)


def _patterns(settings: dict) -> dict[str, str]:
    """The configured {feed type: path pattern}, without the disabled ones."""
    return {kind: path for kind, path in settings["SERIES_FEEDS"].items() if path}


def _series_slug(name: str, settings: dict) -> str:
    return slugify(
        name,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=False,
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def _published_series(generator) -> dict[str, list]:
    # Only generator.articles: pelican-series also counts drafts and hidden
    # articles, which must never reach a feed.
    series = defaultdict(list)
    for article in generator.articles:
        name = article.metadata.get("series")
        if name:
            series[str(name)].append(article)
    return series


def annotate_articles(generator) -> None:
    """article_generator_finalized: give each essay its series feed paths."""
    patterns = _patterns(generator.settings)
    if not patterns:
        return
    for name, articles in _published_series(generator).items():
        slug = _series_slug(name, generator.settings)
        paths = {kind: pattern.format(slug=slug) for kind, pattern in patterns.items()}
        for article in articles:
            article.series_feeds = paths


def write_feeds_with_pelicans(generator) -> None:
    """article_generator_finalized: generate_feeds writes the series feeds too."""
    pelicans_feeds = generator.generate_feeds

    def generate_feeds(writer) -> None:
        pelicans_feeds(writer)
        write_series_feeds(generator, writer)

    generator.generate_feeds = generate_feeds


def write_series_feeds(generator, writer) -> None:
    """One Atom and one RSS feed per series."""
    patterns = _patterns(generator.settings)
    for name, articles in _published_series(generator).items():
        slug = _series_slug(name, generator.settings)
        for feed_type, pattern in patterns.items():
            path = pattern.format(slug=slug)
            writer.write_feed(
                articles,
                generator.context,
                path,
                path,
                feed_type=feed_type,
                feed_title=name,
            )


def register() -> None:
    plugin_settings.register()
    signals.article_generator_finalized.connect(annotate_articles)
    signals.article_generator_finalized.connect(write_feeds_with_pelicans)
