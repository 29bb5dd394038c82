"""authoring/ready_pelican.py: a build process that waits, libraries imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from authoring.devserver import READY_PELICAN, ReadyPelican


def test_it_runs_pelicans_own_main_on_the_command_line_it_is_sent(tmp_path):
    ready = ReadyPelican(tmp_path)
    assert ready.start(["--version"])
    assert list(ready.pages_written_first()) == []
    assert ready.wait() == 0


def test_what_it_imports_while_waiting_holds_nothing_of_the_project(tmp_path):
    # A changed setting or plugin must be the one the build runs: the
    # libraries it imports ahead pull in no settings file and no plugin.
    script = tmp_path / "probe.py"
    script.write_text(
        "import runpy, sys\n"
        f"for name in runpy.run_path({str(READY_PELICAN)!r})['LIBRARIES']:\n"
        "    __import__(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pelicanconf', 'publishconf', 'plugins', 'authoring', 'checklists')))\n",
        "utf-8",
    )
    printed = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True
    ).stdout
    assert printed.strip() == "[]"


def test_a_process_that_ended_before_its_build_is_not_used(tmp_path: Path):
    ready = ReadyPelican(tmp_path)
    ready.process.kill()
    ready.process.wait()
    assert ready.start(["--version"]) is False
