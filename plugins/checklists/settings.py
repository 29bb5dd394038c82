"""The CHECKLISTS settings dict: defaults, and one validation with a clear message."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger(__name__)

MODES = ("auto", "marked", "none")

DEFAULTS: dict[str, Any] = {
    # For an essay without a Checklists: field: "auto" (unmarked lists that
    # read as checklists), "marked" (only {: .checklist } lists) or "none".
    "default": "auto",
    # The older switch: False is "default": "marked".
    "automatic_lists": True,
    # The quick-reference page; "" for either turns that output off.
    "page_url": "quick-reference/",
    "page_save_as": "quick-reference/index.html",
    "page_title": "Quick reference",
    "template": "quick_reference",
    "json_save_as": "checklists.json",
}


class ChecklistSettingsError(SystemExit):
    """The build stops: CHECKLISTS in the settings file is wrong."""


def validate(raw: object) -> dict[str, Any]:
    """CHECKLISTS merged over the defaults; stops the build on a wrong key or type."""
    if raw is None:
        return dict(DEFAULTS)
    if not isinstance(raw, dict):
        _fail(f"CHECKLISTS must be a dict, not {type(raw).__name__}")
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        _fail(
            f"CHECKLISTS has unknown key(s) {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(DEFAULTS)}"
        )
    merged = {**DEFAULTS, **raw}
    for key, default in DEFAULTS.items():
        if not isinstance(merged[key], type(default)):
            _fail(
                f"CHECKLISTS[{key!r}] must be a {type(default).__name__}, "
                f"not {merged[key]!r}"
            )
    for key in ("page_save_as", "json_save_as"):
        if merged[key].startswith("/") or ".." in merged[key].split("/"):
            _fail(f"CHECKLISTS[{key!r}] must be a path inside the output folder")
    if merged["default"] not in MODES:
        _fail(
            f"CHECKLISTS['default'] must be one of {', '.join(MODES)}, "
            f"not {merged['default']!r}"
        )
    if not merged["automatic_lists"]:
        if raw.get("default", "marked") != "marked":
            _fail(
                "CHECKLISTS: automatic_lists=False and default=… disagree; keep default"
            )
        merged["default"] = "marked"
    if bool(merged["page_url"]) != bool(merged["page_save_as"]):
        _fail("CHECKLISTS: set page_url and page_save_as together (or both to '')")
    return merged


def _fail(message: str) -> None:
    logger.critical(message)
    raise ChecklistSettingsError(f"pelican: {message}")
