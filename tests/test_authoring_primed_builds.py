"""authoring/primed_builds: the devserver's builds, each forked from a helper
that imported Pelican once. The same site as `python -m pelican`, a process of
its own for every build, and a build that fails or a helper that dies costs
that build at most."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from authoring import primed_builds
from authoring.devserver import DevServer
from authoring.primed_builds import HELPER_STOPPED, BuildResult, PrimedBuilds, can_fork
from authoring.project import load_project
from tests.sitebuild import CONTENT, PROJECT
from tests.test_build_speed import site_files

pytestmark = pytest.mark.skipif(not can_fork(), reason="builds are not forked here")

NO_INDEX = 'PAGEFIND_SEARCH={"build_index": false}'

# Notes, in the folder named by $BUILD_NOTES, what the build's process is
# and sees; then, as asked: $BUILD_EXIT ends the process with that code,
# $BUILD_SIGNAL kills it with that signal, $BUILD_SLEEP waits that long.
RECORDER = """
import json
import os
import signal
import sys
import time
from pathlib import Path

from pelican import signals


def note(pelican):
    folder = Path(os.environ["BUILD_NOTES"])
    stdin = os.fstat(0)
    devnull = os.stat(os.devnull)
    seen = {
        "pid": os.getpid(),
        "parent": os.getppid(),
        "cwd": os.getcwd(),
        "path0": sys.path[0],
        "stdin_is_devnull": (stdin.st_dev, stdin.st_ino)
        == (devnull.st_dev, devnull.st_ino),
    }
    (folder / f"{os.getpid()}.json").write_text(json.dumps(seen), "utf-8")
    if os.environ.get("BUILD_EXIT"):
        os._exit(int(os.environ["BUILD_EXIT"]))
    if os.environ.get("BUILD_SIGNAL"):
        os.kill(os.getpid(), int(os.environ["BUILD_SIGNAL"]))
    time.sleep(float(os.environ.get("BUILD_SLEEP", "0")))


def register():
    signals.initialized.connect(note)
"""


@pytest.fixture
def builds():
    primed = PrimedBuilds()
    yield primed
    primed.close()


def arguments(output: Path, *extra: str) -> list[str]:
    return [
        str(CONTENT),
        "-o",
        str(output),
        "-s",
        str(PROJECT / "pelicanconf.py"),
        "--cache-path",
        str(output.parent / f"{output.name}-cache"),
        "--ignore-cache",
        "--fatal",
        "warnings",
        "-e",
        NO_INDEX,
        *extra,
    ]


def with_recorder(tmp_path: Path) -> list[str]:
    plugin = tmp_path / "plugins" / "recorder"
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(RECORDER, "utf-8")
    settings = load_project(PROJECT / "pelicanconf.py").settings
    paths = [str(PROJECT / "plugins"), str(tmp_path / "plugins")]
    plugins = [*settings["PLUGINS"], "recorder"]
    return [f"PLUGIN_PATHS={json.dumps(paths)}", f"PLUGINS={json.dumps(plugins)}"]


def notes(folder: Path) -> list[dict]:
    return [json.loads(path.read_text("utf-8")) for path in folder.glob("*.json")]


def test_a_primed_build_writes_what_python_m_pelican_writes(builds, tmp_path):
    result = builds.run(arguments(tmp_path / "primed"), PROJECT)
    assert result is not None and result.exit_code == 0
    assert result.cpu_seconds > 0
    plain = subprocess.run(
        [sys.executable, "-m", "pelican", *arguments(tmp_path / "plain")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert plain.returncode == 0, plain.stderr
    primed_files = site_files(tmp_path / "primed")
    assert "customer-disservice/index.html" in primed_files
    assert primed_files == site_files(tmp_path / "plain")


def test_each_build_is_a_fresh_child_of_the_helper(builds, tmp_path, monkeypatch):
    monkeypatch.setenv("BUILD_NOTES", str(tmp_path))
    settings = with_recorder(tmp_path)
    for n in (1, 2):
        result = builds.run(arguments(tmp_path / f"out{n}", "-e", *settings), PROJECT)
        assert result is not None and result.exit_code == 0
    seen = notes(tmp_path)
    assert len(seen) == 2
    assert {note["parent"] for note in seen} == {builds.helper_pid}
    assert builds.helper_pid != os.getpid()


def test_a_build_that_fails_or_dies_is_reported_and_the_next_one_runs(
    builds, tmp_path, monkeypatch
):
    monkeypatch.setenv("BUILD_NOTES", str(tmp_path))
    settings = with_recorder(tmp_path)
    wrong = builds.run(arguments(tmp_path / "wrong", "-e", "READING_TIME=3"), PROJECT)
    assert wrong is not None and wrong.exit_code != 0
    helper = builds.helper_pid
    monkeypatch.setenv("BUILD_EXIT", "7")
    died = builds.run(arguments(tmp_path / "died", "-e", *settings), PROJECT)
    assert died is not None and died.exit_code == 7
    monkeypatch.delenv("BUILD_EXIT")
    good = builds.run(arguments(tmp_path / "good"), PROJECT)
    assert good is not None and good.exit_code == 0
    assert builds.helper_pid == helper
    assert (tmp_path / "good" / "customer-disservice" / "index.html").is_file()


def gone(pid: int) -> bool:
    """No such process, or one that has ended and not been waited for."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def wait_until(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_build_runs_where_and_as_python_m_pelican_would(
    builds, tmp_path, monkeypatch
):
    monkeypatch.setenv("BUILD_NOTES", str(tmp_path))
    settings = with_recorder(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = builds.run(arguments(tmp_path / "primed", "-e", *settings), elsewhere)
    assert result is not None and result.exit_code == 0
    (primed,) = notes(tmp_path)
    for path in tmp_path.glob("*.json"):
        path.unlink()
    plain = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            *arguments(tmp_path / "plain", "-e", *settings),
        ],
        cwd=elsewhere,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert plain.returncode == 0, plain.stderr
    (fresh,) = notes(tmp_path)
    shown = ("cwd", "path0", "stdin_is_devnull")
    assert {key: primed[key] for key in shown} == {key: fresh[key] for key in shown}
    assert primed["cwd"] == str(elsewhere)


def test_a_build_killed_by_a_signal_is_reported_as_such(builds, tmp_path, monkeypatch):
    monkeypatch.setenv("BUILD_NOTES", str(tmp_path))
    monkeypatch.setenv("BUILD_SIGNAL", str(int(signal.SIGKILL)))
    result = builds.run(
        arguments(tmp_path / "out", "-e", *with_recorder(tmp_path)), PROJECT
    )
    assert result is not None and result.exit_code == -signal.SIGKILL


def test_ctrl_c_between_builds_leaves_the_helper_to_the_devserver(builds, tmp_path):
    first = builds.run(arguments(tmp_path / "first"), PROJECT)
    assert first is not None and first.exit_code == 0
    helper = builds.helper_pid
    os.kill(helper, signal.SIGINT)
    second = builds.run(arguments(tmp_path / "second"), PROJECT)
    assert second is not None and second.exit_code == 0
    assert builds.helper_pid == helper


def test_a_helper_that_stops_during_a_build_fails_it_and_takes_it_along(
    builds, tmp_path, monkeypatch
):
    monkeypatch.setenv("BUILD_NOTES", str(tmp_path))
    monkeypatch.setenv("BUILD_SLEEP", "30")
    outcome = []
    settings = with_recorder(tmp_path)
    thread = threading.Thread(
        target=lambda: outcome.append(
            builds.run(arguments(tmp_path / "out", "-e", *settings), PROJECT)
        )
    )
    thread.start()
    assert wait_until(lambda: bool(notes(tmp_path)))
    (child,) = notes(tmp_path)
    helper = builds.helper_pid
    os.kill(helper, signal.SIGKILL)
    thread.join(timeout=20)
    # Counted as failed, not run again by `python -m pelican` beside it.
    assert outcome == [BuildResult(HELPER_STOPPED, 0.0)]
    assert wait_until(lambda: gone(child["pid"]))
    monkeypatch.delenv("BUILD_SLEEP")
    again = builds.run(arguments(tmp_path / "again"), PROJECT)
    assert again is not None and again.exit_code == 0
    assert builds.helper_pid not in (None, helper)


def test_a_library_installed_anew_gets_a_new_helper(builds, tmp_path, monkeypatch):
    # A package of this test's own stands for Pelican being upgraded.
    package = tmp_path / "libraries" / "probe_library"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "libraries"))
    monkeypatch.setattr(primed_builds, "PRIMED_PACKAGES", ("probe_library",))
    builds.run(arguments(tmp_path / "one"), PROJECT)
    first = builds.helper_pid
    builds.run(arguments(tmp_path / "two"), PROJECT)
    assert builds.helper_pid == first
    (package / "__init__.py").write_text("VERSION = 2\n", "utf-8")
    os.utime(package / "__init__.py", ns=(1, 1))  # as a new install's files
    result = builds.run(arguments(tmp_path / "three"), PROJECT)
    assert result is not None and result.exit_code == 0
    assert builds.helper_pid not in (None, first)


def test_a_helper_that_stopped_between_builds_is_started_again(builds, tmp_path):
    first = builds.run(arguments(tmp_path / "first"), PROJECT)
    assert first is not None and first.exit_code == 0
    dead = builds.helper_pid
    os.kill(dead, signal.SIGKILL)
    assert wait_until(lambda: gone(dead))
    again = builds.run(arguments(tmp_path / "again"), PROJECT)
    assert again is not None and again.exit_code == 0
    assert builds.helper_pid not in (None, dead)


def devserver(tmp_path: Path) -> DevServer:
    project = load_project(PROJECT / "pelicanconf.py", CONTENT)
    return DevServer(
        project,
        settings_file=PROJECT / "pelicanconf.py",
        output=tmp_path / "output",
        host="127.0.0.1",
        port=0,
        extra_options=["--cache-path", str(tmp_path / "cache")],
    )


def test_the_devserver_builds_by_its_helper(tmp_path):
    server = devserver(tmp_path)
    try:
        assert server.build()
        assert server.builds.helper_pid is not None
        assert (tmp_path / "output" / "index.html").is_file()
    finally:
        server.builds.close()
    assert server.builds.helper_pid is None


def test_where_it_cannot_fork_the_devserver_runs_python_m_pelican(tmp_path):
    server = devserver(tmp_path)
    server.builds = PrimedBuilds(forked=False)
    assert server.build()
    assert (tmp_path / "output" / "index.html").is_file()
    assert server.builds.helper_pid is None
