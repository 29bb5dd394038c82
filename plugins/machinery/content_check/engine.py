"""`make check`'s engine (the project's authoring package), as the build runs it.

The authoring package is found as plugins.machinery.plugin_settings is:
pelicanconf.py puts the project's folder on the import path.
"""

from __future__ import annotations

from pathlib import Path

from authoring.check import check_project
from authoring.problems import display_path
from authoring.project import Project


def check_content(settings: dict) -> tuple[list[str], int]:
    """Every problem `make check` finds but the checklist markup's, and the
    number of errors among them."""
    report = check_project(Project(settings), checklists=False)
    return report.lines(), report.errors


def shown_path(path: Path) -> str:
    """A path as `make check` shows it (relative to the working folder)."""
    return display_path(path)
