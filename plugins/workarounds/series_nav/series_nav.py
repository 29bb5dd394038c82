"""Series navigation without drafts: the one workaround for pelican-series.

pelican-series 3.1.1 has two bugs this site trips over:

1. Drafts leak into published navigation. `aggregate_series` collects
   `generator.drafts` and `hidden_articles` together with the published
   articles, so a published essay's `series["all"]`, its "Part N of M" count
   and its `previous` / `next` can point at a draft (whose page lives under
   /drafts/ and must never be linked from the published site).
2. The context key `series` is emptied by the page generator
   (`aggregate_series_pages` sets `context["series"] = {}` on the shared
   context), so templates cannot rely on it.

After every generator has finished (and before anything is written) this
plugin rebuilds `article.series` for each *published* article from published
articles only, keeping pelican-series' order and dict shape, and offers the
clean lists as `published_series` ({series name: [articles in order]}) for
the series page. A draft keeps the plugin's original dict, drafts included,
so its preview shows where it will land.

Remove this plugin when pelican-series filters drafts itself.
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import ArticlesGenerator

from plugins.machinery import plugin_settings

# Read by plugins/machinery/plugin_settings at the start of the build.
REQUIRES_BEFORE = {
    "pelican.plugins.series": "it corrects the series pelican-series made",
}


def is_published(article) -> bool:
    return getattr(article, "status", "published") == "published"


def series_entry(name: str, parts: list, position: int, lang: str) -> dict:
    """The dict pelican-series gives an article, for `parts` alone."""
    return {
        "name": name,
        "index": position + 1,
        "all": parts,
        "all_previous": parts[:position],
        "all_next": parts[position + 1 :],
        "previous": parts[position - 1] if position > 0 else None,
        "next": parts[position + 1] if position + 1 < len(parts) else None,
        "lang": lang,
    }


def published_series(articles: list) -> dict[tuple[str, str], list]:
    """Published parts of every series, per (name, language), in series order."""
    series: dict[tuple[str, str], list] = {}
    for article in articles:
        info = getattr(article, "series", None)
        if not info or not is_published(article):
            continue
        key = (info["name"], article.lang)
        if key not in series:
            # pelican-series' own order, drafts and hidden essays dropped.
            series[key] = [part for part in info["all"] if is_published(part)]
    return series


def drop_drafts_from_series(generators) -> None:
    for generator in generators:
        if not isinstance(generator, ArticlesGenerator):
            continue
        published = generator.articles + generator.translations
        series = published_series(published)
        for (name, lang), parts in series.items():
            for position, article in enumerate(parts):
                article.series = series_entry(name, parts, position, lang)
        lang = generator.settings["DEFAULT_LANG"]
        generator.context["published_series"] = {
            name: parts for (name, in_lang), parts in series.items() if in_lang == lang
        }


def register() -> None:
    plugin_settings.register()
    signals.all_generators_finalized.connect(drop_drafts_from_series)
