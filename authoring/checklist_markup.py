"""The checklist plugin's own reading of an essay, when the plugin is installed.

`make check` and `make checklists` must judge checklists exactly as the
build does, so they call the plugin instead of a second copy of it:
`analyse(text, markdown, mode)` in plugins/features/checklists/analyse.py converts an
essay as the build does and returns its problems ((line, "error" | "warning"
| "note", message)), its checklists and the lists it left out. CHECKLISTS is
read by the plugin's own SettingsDict (plugins/features/checklists/settings.py),
so a mistake in it stops them with the line the build stops with.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable

MODULE = "checklists.analyse"
SETTINGS_MODULE = "checklists.settings"
Analyse = Callable[..., object]


def _import(name: str, plugin_paths: Iterable[str]):
    for path in plugin_paths:
        if path not in sys.path:
            sys.path.append(path)
    return importlib.import_module(name)


def load_analyse(plugin_paths: Iterable[str]) -> Analyse | str:
    """The plugin's analyse(), or the reason (one line) it cannot be used."""
    try:
        module = _import(MODULE, plugin_paths)
    except ImportError as error:
        return f"cannot import {MODULE} ({error})"
    analyse = getattr(module, "analyse", None)
    if not callable(analyse):
        return f"{MODULE} has no analyse()"
    return analyse


def default_mode(settings: dict) -> str:
    """The site's default for essays without a Checklists: field.

    CHECKLISTS as the build reads it (CHECKLISTS.read: the plugin's keys,
    kinds and rules); a wrong key or value raises the build's
    PluginSettingsError, a SystemExit whose message is the build's one line,
    naming the settings file given with --settings. Call it after
    load_analyse has found the plugin."""
    module = _import(SETTINGS_MODULE, settings.get("PLUGIN_PATHS") or [])
    return module.CHECKLISTS.read(settings)["default"]
