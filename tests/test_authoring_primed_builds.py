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
from pathlib import Path

import pytest

from authoring.devserver import DevServer
from authoring.primed_builds import PrimedBuilds, can_fork
from authoring.project import load_project
from tests.sitebuild import CONTENT, PROJECT
from tests.test_build_speed import site_files

pytestmark = pytest.mark.skipif(not can_fork(), reason="builds are not forked here")

NO_INDEX = 'PAGEFIND_SEARCH={"build_index": false}'

# Notes, in the folder named by $BUILD_NOTES, the build's process and its
# parent; with $BUILD_EXIT set, ends the build's process there and then.
RECORDER = """
import json
import os
from pathlib import Path

from pelican import signals


def note(pelican):
    folder = Path(os.environ["BUILD_NOTES"])
    seen = {"pid": os.getpid(), "parent": os.getppid()}
    (folder / f"{os.getpid()}.json").write_text(json.dumps(seen), "utf-8")
    if os.environ.get("BUILD_EXIT"):
        os._exit(int(os.environ["BUILD_EXIT"]))


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


def test_a_dead_helper_costs_one_build_and_is_started_again(builds, tmp_path):
    first = builds.run(arguments(tmp_path / "first"), PROJECT)
    assert first is not None and first.exit_code == 0
    dead = builds.helper_pid
    os.kill(dead, signal.SIGKILL)
    assert builds.run(arguments(tmp_path / "lost"), PROJECT) is None
    again = builds.run(arguments(tmp_path / "again"), PROJECT)
    assert again is not None and again.exit_code == 0
    assert builds.helper_pid not in (None, dead)


def test_the_devserver_builds_with_python_m_pelican_when_the_helper_is_gone(
    tmp_path,
):
    project = load_project(PROJECT / "pelicanconf.py", CONTENT)
    server = DevServer(
        project,
        settings_file=PROJECT / "pelicanconf.py",
        output=tmp_path / "output",
        host="127.0.0.1",
        port=0,
        extra_options=["--cache-path", str(tmp_path / "cache")],
    )
    try:
        assert server.build()
        os.kill(server.builds.helper_pid, signal.SIGKILL)
        (tmp_path / "output" / "index.html").unlink()
        assert server.build()  # by `python -m pelican`
        assert (tmp_path / "output" / "index.html").is_file()
        assert server.builds.helper_pid is None
    finally:
        server.builds.close()
