"""The checklist plugin's own markup parser, when the plugin is installed.

`make check` must judge checklist markup exactly as the build does, so it
calls the plugin's parser instead of a second one: `find_problems(text)` in
plugins/checklists/markup.py returns (line, "error" | "warning", message).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable

FindProblems = Callable[[str], list[tuple[int, str, str]]]

MODULE = "checklists.markup"


def load_find_problems(plugin_paths: Iterable[str]) -> FindProblems | str:
    """The parser, or the reason (one line) it cannot be used."""
    for path in plugin_paths:
        if path not in sys.path:
            sys.path.append(path)
    try:
        module = importlib.import_module(MODULE)
    except ImportError as error:
        return f"cannot import {MODULE} ({error})"
    find_problems = getattr(module, "find_problems", None)
    if not callable(find_problems):
        return f"{MODULE} has no find_problems()"
    return find_problems
