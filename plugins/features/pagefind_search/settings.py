"""PAGEFIND_SEARCH: its keys, defaults and kinds (plugins/machinery/plugin_settings)."""

from __future__ import annotations

from plugins.machinery.plugin_settings import BOOLEAN, Option, SettingsDict

PAGEFIND_SEARCH = SettingsDict(
    "PAGEFIND_SEARCH",
    {
        # False: the build writes no index (the devserver indexes after its
        # builds itself, so that the page reload does not wait for the index).
        "build_index": Option(True, BOOLEAN),
    },
)
