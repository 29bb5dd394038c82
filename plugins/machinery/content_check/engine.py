"""`make check`'s engine (the project's authoring package), as the build runs it."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

# The project root, where `authoring/` is: plugins/machinery/content_check/ is two
# below.
# Pelican started as `.venv/bin/pelican` has neither it nor the working folder
# on sys.path.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _authoring(module: str) -> ModuleType:
    try:
        return importlib.import_module(f"authoring.{module}")
    except ModuleNotFoundError:
        if str(PROJECT_ROOT) in sys.path:
            raise
        sys.path.append(str(PROJECT_ROOT))
        return importlib.import_module(f"authoring.{module}")


def check_content(settings: dict) -> tuple[list[str], int]:
    """Every problem `make check` finds but the checklist markup's, and the
    number of errors among them."""
    project = _authoring("project").Project(settings)
    report = _authoring("check").check_project(project, checklists=False)
    return report.lines(), report.errors


def shown_path(path: Path) -> str:
    """A path as `make check` shows it (relative to the working folder)."""
    return _authoring("problems").display_path(path)
