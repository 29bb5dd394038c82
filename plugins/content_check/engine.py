"""`make check`'s engine (the project's authoring package), as the build runs it."""

from __future__ import annotations

import sys
from pathlib import Path

# The project root, where `authoring/` is: plugins/content_check/ is two below.
# Pelican started as `.venv/bin/pelican` has neither it nor the working folder
# on sys.path.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def check_content(settings: dict) -> tuple[list[str], int]:
    """Every problem `make check` finds but the checklist markup's, and the
    number of errors among them."""
    try:
        from authoring.check import check_project
        from authoring.project import Project
    except ImportError:
        if str(PROJECT_ROOT) in sys.path:
            raise
        sys.path.append(str(PROJECT_ROOT))
        return check_content(settings)
    report = check_project(Project(settings), checklists=False)
    return report.lines(), report.errors
