"""SITEMAP checked as the site's own plugins' dicts are: one line, the build stops.

pelican-sitemap reads its SITEMAP dict itself and, on a mistake (a typo in a
key, a priority of 8 for 0.8, a changefreq it does not know), logs an error
and goes on with its defaults: the build exits 0 with a sitemap the owner did
not ask for. This plugin gives SITEMAP to the settings helper
(plugins/machinery/plugin_settings), with pelican-sitemap's own defaults and
values, so a mistake stops the build with one line naming the settings file
and the key, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pelican.plugins.sitemap.sitemap import (
    CHANGEFREQ_DEFAULTS,
    CHANGEFREQ_VALUES,
    PRIORITY_DEFAULTS,
)

from plugins.machinery import plugin_settings
from plugins.machinery.plugin_settings import (
    Kind,
    Option,
    SettingsDict,
    list_of,
    one_of,
    shown,
)

KINDS_OF_PAGE = tuple(PRIORITY_DEFAULTS)


def _per_kind_of_page(accepts_value: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def accepts(value) -> bool:
        return isinstance(value, dict) and all(
            key in KINDS_OF_PAGE and accepts_value(item) for key, item in value.items()
        )

    return accepts


def _priority(value) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and 0 <= value <= 1


def _pattern(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        re.compile(value)
    except re.error:
        return False
    return True


PAGES = ", ".join(map(shown, KINDS_OF_PAGE))
SITEMAP = SettingsDict(
    "SITEMAP",
    {
        "format": Option("xml", one_of("xml", "txt")),
        "priorities": Option(
            dict(PRIORITY_DEFAULTS),
            Kind(
                f"a dict of {PAGES} to numbers from 0 to 1",
                _per_kind_of_page(_priority),
            ),
        ),
        "changefreqs": Option(
            dict(CHANGEFREQ_DEFAULTS),
            Kind(
                f"a dict of {PAGES} to "
                + ", ".join(map(shown, sorted(CHANGEFREQ_VALUES))),
                _per_kind_of_page(lambda value: value in CHANGEFREQ_VALUES),
            ),
        ),
        "exclude": Option([], list_of("a list of regular expressions", _pattern)),
    },
)
# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (SITEMAP,)


def register() -> None:
    plugin_settings.register()
