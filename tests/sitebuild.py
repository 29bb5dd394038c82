"""Run the real Pelican command line against this project, into temp folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT / "content"
PELICAN = [sys.executable, "-m", "pelican"]


def run_pelican(
    output: Path,
    *,
    settings: str = "pelicanconf.py",
    content: Path = CONTENT,
    env: dict[str, str] | None = None,
    extra: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Build `content` into `output` with warnings fatal, from the project root."""
    command = [
        *PELICAN,
        str(content),
        "-o",
        str(output),
        "-s",
        str(PROJECT / settings),
        "--fatal",
        "warnings",
        "--log-handler",
        "plain",
        "--cache-path",
        str(output.parent / f"{output.name}-cache"),
        "--ignore-cache",
        *(extra or []),
    ]
    return subprocess.run(
        command,
        cwd=PROJECT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def build(output: Path, **kwargs) -> Path:
    """Build and fail loudly, with Pelican's own output, when the build fails."""
    result = run_pelican(output, **kwargs)
    if result.returncode != 0:
        raise AssertionError(
            f"pelican failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return output


def copy_content(destination: Path) -> Path:
    """A private copy of the content folder that a test may add files to."""
    shutil.copytree(CONTENT, destination)
    return destination
