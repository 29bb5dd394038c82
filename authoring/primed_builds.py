"""The devserver's builds, forked from a process that has imported Pelican.

Each devserver build runs in a process of its own, so that a changed plugin
or setting is always the one that runs and a crashing build cannot take the
server down. Starting `python -m pelican` costs 0.1-0.2 s before any work,
mostly importing Pelican, Markdown, Jinja and lxml: an eighth to a quarter of
a rebuild after one essay is edited at 1,000 essays. So the devserver starts
one helper process (`python -m authoring.primed_builds FD`) that imports
those libraries once, and then forks a fresh child for each build, which
runs Pelican's own `main()` with the same arguments, working folder and
environment as `python -m pelican` would, and exits.

The helper imports only installed libraries, never the project's plugins,
settings or theme: each child imports those itself, as they are at that
build. When one of those libraries is installed anew (a `pip install -U`
while the devserver runs), the next build starts a fresh helper, so that no
build runs code older than what is on disk (cache_guard stamps the content
cache with the versions on disk).

Ctrl-C reaches the devserver, the helper and a running build alike: the
helper ignores it and ends when the devserver closes its stdin, and a build
whose helper has gone is counted as failed, never run a second time beside
it (its child is killed with the helper, where Linux allows).

Where fork is missing or unsafe (Windows; macOS, where a process that has
loaded system frameworks must not fork), or a build cannot be handed to a
helper (one that will not start), it runs as `python -m pelican` instead, as
it did before; a helper found stopped between builds is started again.

Protocol: one JSON line a build on the helper's stdin, {"argv": [...],
"cwd": "...", "env": {...}} (the environment as the devserver has it then);
one JSON line back on the file descriptor named on its command line,
{"exit": code, "cpu": seconds}. The children's output goes to the helper's
stdout and stderr, which are the devserver's.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import signal
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
# The installed packages behind PRIMED_MODULES (Python's own left out): a new
# install of one of them means a new helper.
PRIMED_PACKAGES = tuple(
    sorted(
        {name.partition(".")[0] for name in PRIMED_MODULES} - sys.stdlib_module_names
    )
)
# Where `authoring` is: the helper runs `-m authoring.primed_builds` from there,
# whatever folder the devserver (or a benchmark) was started in.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Given for a build handed to a helper that then stopped before answering.
HELPER_STOPPED = -1


class BuildResult(NamedTuple):
    exit_code: int  # HELPER_STOPPED: the build's helper stopped during it
    cpu_seconds: float  # user + system of the build's process


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


class PrimedBuilds:
    """Builds run as `python -m pelican ARGS` would, forked from the helper
    when it can be: `run()` returns None when a build could not be handed to
    it (the caller then runs `python -m pelican` itself)."""

    def __init__(self, stdout=None, forked: bool | None = None) -> None:
        # Where the builds' output goes (Popen's stdout; None: this process's).
        self._stdout = stdout
        # False: every build is the caller's `python -m pelican`, as where
        # this platform cannot fork (the default there).
        self._forked = can_fork() if forked is None else forked
        self._helper: subprocess.Popen | None = None
        self._results = None  # the read end of the helper's result pipe
        self._installed: tuple = ()  # _installed_state() when it started
        self._lock = threading.Lock()

    @property
    def helper_pid(self) -> int | None:
        return self._helper.pid if self._helper is not None else None

    def run(self, argv: list[str], cwd: Path) -> BuildResult | None:
        if not self._forked:
            return None
        with self._lock:
            installed = _installed_state()
            if self._helper is not None and installed != self._installed:
                self.close()  # a library changed on disk: import it anew
            if self._helper is not None and self._helper.poll() is not None:
                self.close()  # it stopped since the last build: a new one
            request = json.dumps(
                {"argv": argv, "cwd": str(cwd), "env": dict(os.environ)}
            )
            try:
                if self._helper is None:
                    self._start()
                    self._installed = installed
                self._helper.stdin.write(request + "\n")
                self._helper.stdin.flush()
            except OSError:  # no helper to hand the build to
                self.close()
                return None
            try:
                answer = self._results.readline()
            except OSError:
                answer = ""
            if not answer:
                # Handed over, then the helper stopped (Ctrl-C, killed): the
                # build may have run in part; it is not run again beside it.
                self.close()
                return BuildResult(HELPER_STOPPED, 0.0)
            result = json.loads(answer)
            return BuildResult(result["exit"], result["cpu"])

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        try:
            self._helper = subprocess.Popen(
                [sys.executable, "-m", "authoring.primed_builds", str(write_end)],
                cwd=PROJECT_ROOT,
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


def _installed_state() -> tuple:
    """Where each primed package's code is on disk, and when it was written
    (found without importing it)."""
    state = []
    for name in PRIMED_PACKAGES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            written = os.stat(origin).st_mtime_ns if origin else None
        except OSError:
            written = None
        state.append((name, origin, written))
    return tuple(state)


# --- the helper -----------------------------------------------------------------


def serve_builds(results_fd: int) -> None:
    for name in PRIMED_MODULES:
        # A library the site does not use: its builds import nothing.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    # Ctrl-C in the terminal is the devserver's to handle: it closes stdin.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    helper = os.getpid()
    prctl = _prctl()
    results = os.fdopen(results_fd, "w", encoding="utf-8")
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            results.close()
            _die_with(helper, prctl)
            _build_and_exit(request["argv"], request["cwd"], request["env"])
        _, status, usage = os.wait4(pid, 0)
        answer = {
            "exit": os.waitstatus_to_exitcode(status),
            "cpu": round(usage.ru_utime + usage.ru_stime, 3),
        }
        try:
            results.write(json.dumps(answer) + "\n")
            results.flush()
        except BrokenPipeError:  # the devserver is gone
            return


def _prctl():
    """Linux's prctl(), looked up once by the helper; None where there is none."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with(helper: int, prctl) -> None:
    """Linux: the build's process is killed when the helper dies, so that no
    orphaned build goes on writing the output folder beside the next one."""
    if prctl is None:
        return
    pr_set_pdeathsig = 1
    prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != helper:  # it died before the call took effect
        os._exit(1)


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
    # Pelican catches a Ctrl-C, logs it and ends as if the build were done:
    # an interrupted build is reported as one (130, as a shell would).
    interrupted = []

    def interrupt(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    from pelican import main

    try:
        main(argv)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(130 if interrupted else 0)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C during its imports
        serve_builds(int(sys.argv[1]))
