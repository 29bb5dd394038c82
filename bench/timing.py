"""What the bench scripts share: a Pelican command line, timing one, medians.

Imported as `timing` (each script's own folder is first on sys.path when it
is run as `.venv/bin/python bench/NAME.py`).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def pelican_command(
    content: Path, output: Path, settings: Path | str, *options: str
) -> list[str]:
    """`python -m pelican` on `content` into `output` with these settings."""
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-o",
        str(output),
        "-s",
        str(settings),
        *options,
    ]


def seconds(command: list[str]) -> float:
    """Wall-clock seconds of one run of `command` from the project root."""
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)
    return time.perf_counter() - started


def median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def listed(values: list[float]) -> str:
    """Every run, for the line beside a median: "[1.23, 1.25]"."""
    return "[" + ", ".join(f"{value:.2f}" for value in values) + "]"
