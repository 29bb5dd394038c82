"""Every script in bench/ still runs, on a corpus small enough for the suite.

Nothing here is timed or compared with a figure (tests never assert a wall
clock): each script must exit 0 and print the lines its readers look for.
A script that breaks (a renamed helper, a plugin order) fails here rather
than on the day someone needs its figure.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.sitebuild import PROJECT

TIMEOUT = 600  # seconds; a limit for a stuck script, never a measured time

SCRIPTS = {
    "build.py": (
        ["--essays", "12", "--runs", "1", "--memory-sizes", "12"],
        ["full / plain", "one-essay edit", "rebuild / cold", "12 essays"],
    ),
    "devserver_save.py": (
        ["--essays", "12", "--saves", "1"],
        [
            "plain Pelican, cold build",
            "save -> shown in the browser",
            "save -> whole site served",
        ],
    ),
    "speed_layer.py": (
        ["--essays", "5", "--runs", "1"],
        ["5 essays, 1 alternating runs", "frozen_urls"],
    ),
    "checklists_build.py": (["--essays", "12", "--runs", "1"], ["ratio with/without"]),
    "content_check.py": (
        ["--essays", "12", "--runs", "1"],
        ["engine over 12 essays", "cold build, CPU s"],
    ),
    "author_commands.py": (
        ["--essays", "12", "--runs", "1"],
        ["12 essays: check", "devserver rebuild after one edit"],
    ),
    "quickref_filter.py": (["--essays", "12"], ["goal: p95 <= 16 ms"]),
    # Against a private Postfix and a throwaway PostgreSQL (bash .ci/run
    # installs both), as the full runs are.
    "digest_send.py": (
        ["--only-postfix", "--postfix-size", "40", "--connections", "1,2"],
        ["without DKIM: best", "with DKIM: best"],
    ),
    "digest_crash.py": (["--kills", "1", "--size", "40"], ["nobody missed"]),
    "subscriptions.py": (
        ["--requests", "40", "--clients", "2"],
        ["sign-ups/s", "one-click unsubscribes/s", "PostgreSQL/SQLite"],
    ),
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_bench_script_runs_and_prints_its_figures(script):
    arguments, expected = SCRIPTS[script]
    result = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / script), *arguments],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    printed = result.stdout + result.stderr
    assert result.returncode == 0, printed[-3000:]
    missing = [text for text in expected if text not in result.stdout]
    assert missing == [], printed[-3000:]
