"""Problems found in the content, reported one a line as `path:line: severity: message`.

The form is the one compilers use, so editors and CI logs link each line to
its place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# A note tells, as a warning does, but is nothing to fix (a checklist guess).
Severity = Literal["error", "warning", "note"]


def display_path(path: Path) -> str:
    """Relative to the current folder when inside it (as the author types it)."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class Report:
    """Collects problems; errors make the command fail, warnings do not."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    def add(self, path: Path | str, line: int, severity: Severity, message: str):
        shown = display_path(path) if isinstance(path, Path) else path
        self.problems.append(Problem(shown, line, severity, message))

    def error(self, path: Path | str, line: int, message: str) -> None:
        self.add(path, line, "error", message)

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self.add(path, line, "warning", message)

    @property
    def errors(self) -> int:
        return sum(problem.severity == "error" for problem in self.problems)

    @property
    def warnings(self) -> int:
        return sum(problem.severity == "warning" for problem in self.problems)

    def lines(self) -> list[str]:
        """Every problem, sorted by file and line, each on one line."""
        return [str(problem) for problem in sorted(set(self.problems))]

    @property
    def notes(self) -> int:
        return sum(problem.severity == "note" for problem in self.problems)

    def summary(self) -> str:
        def count(number: int, word: str) -> str:
            return f"{number} {word}{'' if number == 1 else 's'}"

        notes = f", {count(self.notes, 'note')}" if self.notes else ""
        return (
            f"{count(self.errors, 'error')}, {count(self.warnings, 'warning')}"
            f"{notes} in {count(self.files, 'file')}"
        )
