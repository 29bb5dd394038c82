"""plugins/machinery/gc_thresholds: fewer collector passes during a build, the
thresholds as they were once it is over, and no collection over the build's
objects when the process exits."""

from __future__ import annotations

import json

import pytest

from authoring.project import load_project
from plugins.machinery.gc_thresholds.gc_thresholds import THRESHOLDS
from tests.sitebuild import PROJECT, build

SITE_PLUGINS = load_project(PROJECT / "pelicanconf.py").settings["PLUGINS"]

# Notes the collector's thresholds: when Pelican loads it, while the essays
# are processed, and at `finalized` after every other plugin's receiver; and,
# from an exit handler registered at the start (so run after any registered
# later), how many objects the collector leaves alone at exit.
OBSERVER = """
import atexit
import gc
import json
from pathlib import Path

from pelican import signals

NOTES = Path({notes!r})
AT_EXIT = Path({at_exit!r})
seen = {{"loaded": gc.get_threshold()}}


def note_at_exit():
    AT_EXIT.write_text(str(gc.get_freeze_count()), "utf-8")


def started(pelican):
    atexit.register(note_at_exit)


def during(generator):
    seen["during"] = gc.get_threshold()


def after(pelican):
    seen["after"] = gc.get_threshold()
    seen["frozen_at_finalized"] = gc.get_freeze_count()
    NOTES.write_text(json.dumps(seen), "utf-8")


def register():
    signals.initialized.connect(started)
    signals.article_generator_finalized.connect(during)
    signals.finalized.connect(after)
"""


GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    """A build of the site with the observer; what it noted."""
    assert "gc_thresholds" in SITE_PLUGINS
    tmp_path = tmp_path_factory.mktemp("gc")
    plugins = tmp_path / "plugins"
    (plugins / "gc_observer").mkdir(parents=True)
    notes = tmp_path / "thresholds.json"
    at_exit = tmp_path / "frozen-at-exit.txt"
    observer = OBSERVER.format(notes=str(notes), at_exit=str(at_exit))
    (plugins / "gc_observer" / "__init__.py").write_text(observer, "utf-8")
    paths = [*PLUGIN_FOLDERS, str(plugins)]
    build(
        tmp_path / "output",
        extra=[
            "-e",
            f"PLUGIN_PATHS={json.dumps(paths)}",
            f"PLUGINS={json.dumps([*SITE_PLUGINS, 'gc_observer'])}",
        ],
    )
    seen = json.loads(notes.read_text())
    thresholds = {name: tuple(seen[name]) for name in ("loaded", "during", "after")}
    return thresholds, seen["frozen_at_finalized"], int(at_exit.read_text("utf-8"))


def test_the_build_runs_with_the_raised_thresholds_and_ends_with_the_old(observed):
    seen, _, _ = observed
    assert seen["during"] == THRESHOLDS
    assert seen["loaded"] != THRESHOLDS
    assert seen["after"] == seen["loaded"]


def test_at_exit_the_collector_leaves_the_builds_objects_alone(observed):
    # Not before exit: a process that goes on (`pelican --autoreload`) must
    # still collect what a build leaves. At exit, every object the collector
    # tracked (without the exit handler: 0): tens of thousands at least.
    _, frozen_at_finalized, frozen_at_exit = observed
    assert frozen_at_finalized == 0
    assert frozen_at_exit > 10_000
