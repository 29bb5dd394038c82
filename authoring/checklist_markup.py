"""The checklist plugin's own reading of an essay, when the plugin is installed.

`make check` and `make checklists` must judge checklists exactly as the
build does, so they call the plugin instead of a second copy of it:
`analyse(text, markdown, mode)` in plugins/features/checklists/analyse.py converts an
essay as the build does and returns its problems ((line, "error" | "warning"
| "note", message)), its checklists and the lists it left out.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable

MODULE = "checklists.analyse"
Analyse = Callable[..., object]


def load_analyse(plugin_paths: Iterable[str]) -> Analyse | str:
    """The plugin's analyse(), or the reason (one line) it cannot be used."""
    for path in plugin_paths:
        if path not in sys.path:
            sys.path.append(path)
    try:
        module = importlib.import_module(MODULE)
    except ImportError as error:
        return f"cannot import {MODULE} ({error})"
    analyse = getattr(module, "analyse", None)
    if not callable(analyse):
        return f"{MODULE} has no analyse()"
    return analyse


def default_mode(settings: dict) -> str:
    """The site's default for essays without a Checklists: field."""
    config = settings.get("CHECKLISTS") or {}
    if not isinstance(config, dict):
        return "auto"
    if config.get("automatic_lists") is False:
        return "marked"
    mode = config.get("default", "auto")
    return mode if mode in ("auto", "marked", "none") else "auto"
