"""CHECKLISTS: its keys, defaults and kinds (plugins/machinery/plugin_settings)."""

from __future__ import annotations

from typing import Any

from plugins.machinery.plugin_settings import (
    BOOLEAN,
    OUTPUT_PATH,
    TEXT,
    Option,
    SettingsDict,
    one_of,
)

MODES = ("auto", "marked", "none")

OPTIONS = {
    # For an essay without a Checklists: field: "auto" (unmarked lists that
    # read as checklists), "marked" (only {: .checklist } lists) or "none".
    "default": Option("auto", one_of(*MODES)),
    # The older switch: False is "default": "marked".
    "automatic_lists": Option(True, BOOLEAN),
    # The quick-reference page; "" for either turns that output off.
    "page_url": Option("quick-reference/", TEXT),
    "page_save_as": Option("quick-reference/index.html", OUTPUT_PATH),
    "page_title": Option("Quick reference", TEXT),
    "template": Option("quick_reference", TEXT),
    "json_save_as": Option("checklists.json", OUTPUT_PATH),
}


class ChecklistsDict(SettingsDict):
    """CHECKLISTS, with the rules that join two of its keys."""

    def read(self, settings) -> dict[str, Any]:
        merged = super().read(settings)
        given = settings.get(self.name) or {}
        if not merged["automatic_lists"]:
            if given.get("default", "marked") != "marked":
                self.fail(
                    "automatic_lists", 'False and "default" disagree; keep "default"'
                )
            merged["default"] = "marked"
        if bool(merged["page_url"]) != bool(merged["page_save_as"]):
            self.fail("page_url", 'set it and "page_save_as" together (or both to "")')
        return merged


CHECKLISTS = ChecklistsDict("CHECKLISTS", OPTIONS)
