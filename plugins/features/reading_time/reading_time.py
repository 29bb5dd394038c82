"""Reading time of every essay, computed once per build.

Sets `article.word_count` and `article.reading_time` (whole minutes, at least
one) on every article the articles generator read, drafts included, so that
templates, feeds and other plugins read the same figure.

Settings, all optional, in one dict in pelicanconf.py:

    READING_TIME = {"words_per_minute": 200}
"""

from __future__ import annotations

import math
import re

from markupsafe import Markup
from pelican import signals

from plugins.machinery import compat, plugin_settings
from plugins.machinery.plugin_settings import Option, SettingsDict, whole_number

WORD = re.compile(r"\w+(?:[’'\-]\w+)*")

READING_TIME = SettingsDict(
    "READING_TIME", {"words_per_minute": Option(200, whole_number(1))}
)
# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (READING_TIME,)
REQUIRES_BEFORE = {"compat": compat.CHECKED_FIRST}


def count_words(html: str) -> int:
    """Words a reader reads: markup stripped, entities decoded."""
    return len(WORD.findall(Markup(html).striptags()))


def minutes_to_read(words: int, words_per_minute: int) -> int:
    return max(1, math.ceil(words / words_per_minute))


def add_reading_time(generator) -> None:
    speed = generator.settings["READING_TIME"]["words_per_minute"]
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


def register() -> None:
    plugin_settings.register()
    signals.article_generator_finalized.connect(add_reading_time)
