"""Run the project's real commands (Pelican, `python -m`, make) into temp folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CONTENT = PROJECT / "content"
PELICAN = [sys.executable, "-m", "pelican"]


def run_module(
    module: str,
    *args: str,
    env: dict[str, str] | None = None,
    inherit_env: bool = True,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """`python -m MODULE ARGS` from the project root, its output captured.

    `env` is added to this process's environment, or with `inherit_env=False`
    is the whole environment.
    """
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT,
        env={**os.environ, **(env or {})} if inherit_env else env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_argv(*args: str) -> list[str]:
    """`make ARGS` with the venv running the tests, never installing into it.

    `-o` marks the venv's install stamp as up to date: the Makefile would
    otherwise reinstall requirements.txt into the interpreter running the
    tests whenever the stamp is older than the file (a project copy's is).
    """
    venv = Path(sys.executable).parent.parent
    stamp = venv / ".installed-from-requirements"
    return ["make", f"VENV={venv}", "-o", str(stamp), *args]


def run_make(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`make -s ARGS` in the project, as an author types it (no directory lines)."""
    return subprocess.run(
        make_argv("-s", "--no-print-directory", *args),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_pelican(
    output: Path,
    *,
    settings: str | Path = "pelicanconf.py",
    content: Path = CONTENT,
    env: dict[str, str] | None = None,
    extra: list[str] | None = None,
    fatal_warnings: bool = True,
    ignore_cache: bool = True,
    cache_path: Path | None = None,
    log_handler: str | None = "plain",
) -> subprocess.CompletedProcess[str]:
    """Build `content` into `output` from the project root.

    By default as the tests build: warnings fatal, the cache ignored (in a
    folder beside `output`), Pelican's plain log handler. `log_handler=None`
    keeps Rich's, which also prints INFO messages.
    """
    options = ["--fatal", "warnings"] if fatal_warnings else []
    if log_handler:
        options += ["--log-handler", log_handler]
    cache_path = cache_path or output.parent / f"{output.name}-cache"
    options += ["--cache-path", str(cache_path)]
    if ignore_cache:
        options.append("--ignore-cache")
    return run_module(
        "pelican",
        str(content),
        "-o",
        str(output),
        "-s",
        str(PROJECT / settings),
        *options,
        *(extra or []),
        env=env,
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


def project_copy(folder: Path) -> Path:
    """A throwaway copy of the project (no git, venv, output or tests)."""
    shutil.copytree(
        PROJECT,
        folder,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "output", "output.*", "cache", "tests"
        ),
    )
    return folder


def make_in(
    checkout: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`make ARGS` in a project copy (see make_argv), its output captured."""
    return subprocess.run(
        make_argv(*args),
        cwd=checkout,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
