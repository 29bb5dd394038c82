"""Reading time of every essay, computed once per build.

Sets `article.word_count` and `article.reading_time` (whole minutes, at least
one) on every article the articles generator read, drafts included, so that
templates, feeds and other plugins read the same figure.

Settings, all optional, in one dict in pelicanconf.py:

    READING_TIME = {"words_per_minute": 200}
"""

from __future__ import annotations

import logging
import math
import re

try:  # as Pelican loaded it, first in PLUGINS
    import compat
except ModuleNotFoundError:  # imported from the project's root (tests, authoring)
    from plugins import compat
from markupsafe import Markup
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {"words_per_minute": 200}
WORD = re.compile(r"\w+(?:[’'\-]\w+)*")


class ReadingTimeSettingsError(SystemExit):
    """READING_TIME in pelicanconf.py is wrong; the build stops."""


def read_settings(settings: dict) -> dict:
    """READING_TIME merged over the defaults; a clear error for a bad key or value."""
    given = settings.get("READING_TIME") or {}
    if not isinstance(given, dict):
        raise ReadingTimeSettingsError(
            f"pelicanconf.py: READING_TIME must be a dict, got {type(given).__name__}"
        )
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ReadingTimeSettingsError(
            f"pelicanconf.py: READING_TIME has unknown key(s) {unknown}; "
            f"known: {sorted(DEFAULTS)}"
        )
    merged = {**DEFAULTS, **given}
    speed = merged["words_per_minute"]
    if isinstance(speed, bool) or not isinstance(speed, int) or speed <= 0:
        raise ReadingTimeSettingsError(
            "pelicanconf.py: READING_TIME['words_per_minute'] must be a positive "
            f"whole number, got {speed!r}"
        )
    return merged


def count_words(html: str) -> int:
    """Words a reader reads: markup stripped, entities decoded."""
    return len(WORD.findall(Markup(html).striptags()))


def minutes_to_read(words: int, words_per_minute: int) -> int:
    return max(1, math.ceil(words / words_per_minute))


def add_reading_time(generator) -> None:
    speed = read_settings(generator.settings)["words_per_minute"]
    everything = (
        generator.articles
        + generator.translations
        + getattr(generator, "drafts", [])
        + getattr(generator, "drafts_translations", [])
        + getattr(generator, "hidden_articles", [])
        + getattr(generator, "hidden_translations", [])
    )
    for article in everything:
        # The HTML before Pelican rewrites {filename} links: the words are
        # the same, and reading it logs no link warnings.
        article.word_count = count_words(compat.rendered_html(article))
        article.reading_time = minutes_to_read(article.word_count, speed)


def check_settings(pelican) -> None:
    read_settings(pelican.settings)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_finalized.connect(add_reading_time)
