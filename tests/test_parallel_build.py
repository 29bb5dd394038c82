"""plugins/machinery/parallel_build: essays read by worker processes build the same
site, and whatever goes wrong in a worker is reported by the main process,
once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from authoring.project import load_project
from tests.sitebuild import PROJECT, build, copy_content, run_pelican
from tests.test_build_speed import STATEFUL_ESSAY, site_files

SITE_PLUGINS = load_project(PROJECT / "pelicanconf.py").settings["PLUGINS"]
# Two processes even on a one-CPU machine, and for a handful of essays.
EVERY_ESSAY_IN_WORKERS = ["-e", 'PARALLEL_BUILD={"processes": 2, "min_essays": 2}']
# Pelican's plain log handler leaves INFO out even with --verbose: Rich's
# handler then, wide enough that no line is wrapped.
VERBOSE = {"extra": ["--verbose"], "log_handler": None, "env": {"COLUMNS": "300"}}

CHECKLIST_ESSAY = """Title: Listening well {n}
Date: 2027-0{month}-0{day} 09:00
Category: Customer Service
Tags: listening, essay {n}
Slug: listening-well-{n}
Series: Listening
Series_index: {n}
Summary: Part {n}: "listen" -- then *act*.

What a good listener does, part {n}:

- hears the customer out
- repeats the request
- promises only what can be kept

{{: .checklist title="Listening, part {n}" }}

They want [respect, patience, and a reply]{{: .checklist }} by the end of the day.
"""


# For a mistake only Pelican's reader is to see: content_check would stop the
# build at it before any essay is read (test_content_check.py covers that).
UNCHECKED = json.dumps([plugin for plugin in SITE_PLUGINS if plugin != "content_check"])
WORKERS_UNCHECKED = [*EVERY_ESSAY_IN_WORKERS, f"PLUGINS={UNCHECKED}"]


def verbose(*options: str) -> dict:
    return {**VERBOSE, "extra": [*VERBOSE["extra"], *options]}


def log_line(output: str, words: str) -> str | None:
    return next((line for line in output.splitlines() if words in line), None)


def read_log_line(output: str) -> str | None:
    return log_line(output, "essays read by")


def with_fields_added(content: Path, folder: Path, essay: str, fields: str) -> Path:
    """The real essays and the listening ones, `fields` added to one of them."""
    copy = copy_content(folder)
    for source in content.glob("essays/8*.md"):
        (copy / "essays" / source.name).write_bytes(source.read_bytes())
    path = copy / "essays" / essay
    path.write_text(path.read_text("utf-8").replace("Tags:", fields + "Tags:"))
    return copy


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = copy_content(tmp_path_factory.mktemp("parallel") / "content")
    for n in (1, 2):
        essay = STATEFUL_ESSAY.format(n=n)
        (folder / "essays" / f"9{n}-stateful.md").write_text(essay, "utf-8")
    for n in range(1, 10):
        essay = CHECKLIST_ESSAY.format(n=n, month=1 + n % 9, day=1 + n % 9)
        (folder / "essays" / f"8{n}-listening.md").write_text(essay, "utf-8")
    return folder


def test_the_site_is_the_same_read_in_workers_or_in_one_process(content, tmp_path):
    assert "parallel_build" in SITE_PLUGINS
    workers = run_pelican(
        tmp_path / "workers",
        content=content,
        **verbose(*EVERY_ESSAY_IN_WORKERS),
    )
    assert workers.returncode == 0, workers.stdout + workers.stderr
    line = read_log_line(workers.stdout + workers.stderr)
    # Every essay (5 real, 2 stateful, 9 with checklists) went to a worker.
    assert line and "16 of 16 essays read by 2 processes" in line

    serial_plugins = [p for p in SITE_PLUGINS if p != "parallel_build"]
    serial = build(
        tmp_path / "serial",
        content=content,
        extra=["-e", f"PLUGINS={json.dumps(serial_plugins)}"],
    )
    parallel_files = site_files(tmp_path / "workers")
    serial_files = site_files(serial)
    assert sorted(parallel_files) == sorted(serial_files)
    assert [n for n in serial_files if parallel_files[n] != serial_files[n]] == []
    # The checklists plugin saw the workers' essays as essays.
    reference = json.loads((serial / "checklists.json").read_text("utf-8"))
    assert "Listening, part 9" in json.dumps(reference)


def test_small_and_warm_builds_read_in_one_process(content, tmp_path):
    # Below min_essays (the default is 64): no workers.
    small = run_pelican(tmp_path / "small", content=content, **verbose())
    assert small.returncode == 0
    assert read_log_line(small.stdout + small.stderr) is None

    cache = tmp_path / "cache"
    options = verbose(*EVERY_ESSAY_IN_WORKERS)
    cold = run_pelican(
        tmp_path / "warm",
        content=content,
        ignore_cache=False,
        cache_path=cache,
        **options,
    )
    assert "16 of 16 essays" in read_log_line(cold.stdout + cold.stderr)
    # Everything is in the content cache now: nothing is left to fork for.
    warm = run_pelican(
        tmp_path / "warm",
        content=content,
        ignore_cache=False,
        cache_path=cache,
        **options,
    )
    assert warm.returncode == 0, warm.stdout + warm.stderr
    assert read_log_line(warm.stdout + warm.stderr) is None


def test_a_warning_while_reading_is_reported_once_by_the_main_process(
    content, tmp_path
):
    # Pelican's Markdown reader warns about a field given twice, while reading.
    twice = "Status: published\nStatus: published\n"
    broken = with_fields_added(content, tmp_path / "content", "85-listening.md", twice)

    result = run_pelican(
        tmp_path / "output",
        content=broken,
        fatal_warnings=False,
        **verbose(*WORKERS_UNCHECKED),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert log.count("Duplicate definition of `status`") == 1
    assert "85-listening.md" in log.split("Duplicate definition of `status`")[1][:200]
    # The other 13 came from the workers; that one was read again here.
    assert "13 of 14 essays read by 2 processes" in read_log_line(log)

    fatal = run_pelican(tmp_path / "fatal", content=broken, extra=WORKERS_UNCHECKED)
    assert fatal.returncode != 0


def test_an_essay_that_cannot_be_read_is_named_once_and_stops_the_build(tmp_path):
    content = copy_content(tmp_path / "content")
    # HTML: a file content_check leaves to Pelican's reader, read in a worker.
    bad = content / "essays" / "99-bad-date.html"
    bad.write_text(
        '<html><head><title>Bad date</title><meta name="date" content="2026-02-30">'
        "</head><body><p>Text.</p></body></html>"
    )

    result = run_pelican(
        tmp_path / "output",
        content=content,
        fatal_warnings=False,
        extra=EVERY_ESSAY_IN_WORKERS,
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert log.count("99-bad-date.html: error: Pelican cannot read it") == 1, log
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (
            '{"processes": -1}',
            'PARALLEL_BUILD["processes"]: must be a whole number, 0 or more, not -1',
        ),
        (
            '{"min_essays": "many"}',
            'PARALLEL_BUILD["min_essays"]: must be a whole number, 0 or more, '
            'not "many"',
        ),
        (
            '{"workers": 2}',
            'PARALLEL_BUILD["workers"]: unknown key '
            '(the keys: "processes", "min_essays")',
        ),
        ("[2]", "PARALLEL_BUILD: must be a dict, not list"),
    ],
)
def test_a_wrong_setting_stops_the_build_with_one_line(tmp_path, value, problem):
    """The shared helper's line (plugins/machinery/plugin_settings), naming
    where the setting came from: here, -e on the command line."""
    result = run_pelican(tmp_path / "output", extra=["-e", f"PARALLEL_BUILD={value}"])
    assert result.returncode != 0
    printed = (result.stdout + result.stderr).strip()
    assert "Traceback" not in printed
    assert printed == f"the command line (-e PARALLEL_BUILD): {problem}"
    assert not (tmp_path / "output").exists()
