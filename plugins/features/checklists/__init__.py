"""Checklists: pulled out of the essays into a quick-reference page and JSON."""

from plugins.machinery.compat import CHECKED_FIRST

from .settings import CHECKLISTS

# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (CHECKLISTS,)
# plugin.py and collect.py read and write an essay's HTML through compat.
REQUIRES_BEFORE = {"compat": CHECKED_FIRST}
RUNS_AFTER = {
    "reading_time": "an essay's reading time counts its own words, not the "
    '"On the quick reference" links checklists adds to it',
}


def register() -> None:
    # Imported here, so that `from checklists.markup import find_problems`
    # (the authors' check) does not load Pelican.
    from plugins.machinery import plugin_settings

    from .plugin import register as register_signals

    plugin_settings.register()
    register_signals()
