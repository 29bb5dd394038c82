"""The devserver's builds, forked from a process that has imported Pelican.

Each devserver build runs in a process of its own, so that a changed plugin
or setting is always the one that runs and a crashing build cannot take the
server down. Starting `python -m pelican` costs about 0.2 s of imports
before any work (Pelican, Markdown, Jinja, lxml), a quarter of a rebuild
after one essay is edited at 1,000 essays. So the devserver starts one
helper process (`python -m authoring.primed_builds FD`) that imports those
libraries once, and then forks a fresh child for each build, which runs
Pelican's own `main()` with the same arguments, working folder and
environment as `python -m pelican` would, and exits.

The helper imports only installed libraries, never the project's plugins,
settings or theme: each child imports those itself, as they are at that
build. A library upgraded while the devserver runs is used from the next
start of the devserver.

Where fork is missing or unsafe (Windows; macOS, where a process that has
loaded system frameworks must not fork) or the helper has died, a build runs
as `python -m pelican` instead, as it did before.

Protocol: one JSON line a build on the helper's stdin, {"argv": [...],
"cwd": "...", "env": {...}} (the environment as the devserver has it then);
one JSON line back on the file descriptor named on its command line,
{"exit": code, "cpu": seconds}. The children's output goes to the helper's
stdout and stderr, which are the devserver's.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import NamedTuple

# Imported once by the helper: what every build imports before its first
# line of work, libraries only.
PRIMED_MODULES = (
    "pelican",
    "pelican.generators",
    "pelican.plugins._utils",
    "markdown",
    "markdown.extensions.extra",
    "markdown.extensions.meta",
    "markdown.extensions.smarty",
    "markdown.extensions.toc",
    "jinja2",
    "lxml.html",
    "feedgenerator",
    "concurrent.futures",
    "multiprocessing.pool",
)


class BuildResult(NamedTuple):
    exit_code: int
    cpu_seconds: float  # user + system of the build's process


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


class PrimedBuilds:
    """Builds run as `python -m pelican ARGS` would, forked from the helper
    when it can be: `run()` returns None when a build could not be handed to
    it (the caller then runs `python -m pelican` itself)."""

    def __init__(self, stdout=None) -> None:
        # Where the builds' output goes (Popen's stdout; None: this process's).
        self._stdout = stdout
        self._helper: subprocess.Popen | None = None
        self._results = None  # the read end of the helper's result pipe
        self._lock = threading.Lock()

    @property
    def helper_pid(self) -> int | None:
        return self._helper.pid if self._helper is not None else None

    def run(self, argv: list[str], cwd: Path) -> BuildResult | None:
        if not can_fork():
            return None
        with self._lock:
            try:
                if self._helper is None:
                    self._start()
                request = json.dumps(
                    {"argv": argv, "cwd": str(cwd), "env": dict(os.environ)}
                )
                self._helper.stdin.write(request + "\n")
                self._helper.stdin.flush()
                answer = self._results.readline()
            except OSError:
                answer = ""
            if not answer:  # the helper is gone: a fresh one next time
                self.close()
                return None
            result = json.loads(answer)
            return BuildResult(result["exit"], result["cpu"])

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        try:
            self._helper = subprocess.Popen(
                [sys.executable, "-m", "authoring.primed_builds", str(write_end)],
                stdin=subprocess.PIPE,
                stdout=self._stdout,
                pass_fds=(write_end,),
                text=True,
            )
        except OSError:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)
        self._results = os.fdopen(read_end, "r", encoding="utf-8")

    def close(self) -> None:
        """Stop the helper (it exits when its stdin closes)."""
        helper, results = self._helper, self._results
        self._helper = self._results = None
        if helper is not None:
            with contextlib.suppress(OSError):
                helper.stdin.close()
            try:
                helper.wait(timeout=10)
            except subprocess.TimeoutExpired:
                helper.kill()
                helper.wait()
        if results is not None:
            results.close()


# --- the helper -----------------------------------------------------------------


def serve_builds(results_fd: int) -> None:
    for name in PRIMED_MODULES:
        # A library the site does not use: its builds import nothing.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    results = os.fdopen(results_fd, "w", encoding="utf-8")
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            results.close()
            _build_and_exit(request["argv"], request["cwd"], request["env"])
        _, status, usage = os.wait4(pid, 0)
        answer = {
            "exit": os.waitstatus_to_exitcode(status),
            "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        }
        results.write(json.dumps(answer) + "\n")
        results.flush()


def _build_and_exit(argv: list[str], cwd: str, env: dict[str, str]) -> None:
    """In the forked child: `python -m pelican ARGV` in `cwd` with the
    devserver's environment as it is now, then exit as that process would
    (exit handlers run, output flushed)."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the helper's requests are not the build's input
    os.close(devnull)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    # `python -m` puts the folder it starts in first on sys.path.
    sys.path[0] = cwd
    sys.argv = ["pelican", *argv]
    from pelican import main

    try:
        main(argv)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(0)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C in the terminal
        serve_builds(int(sys.argv[1]))
