"""plugins/gc_thresholds: fewer collector passes during a build, the
thresholds as they were once it is over."""

from __future__ import annotations

import json

from authoring.project import load_project
from plugins.gc_thresholds.gc_thresholds import THRESHOLDS
from tests.sitebuild import PROJECT, build

SITE_PLUGINS = load_project(PROJECT / "pelicanconf.py").settings["PLUGINS"]

# Notes the collector's thresholds: when Pelican loads it, while the essays
# are processed, and at `finalized` after every other plugin's receiver.
OBSERVER = """
import gc
import json
from pathlib import Path

from pelican import signals

NOTES = Path({notes!r})
seen = {{"loaded": gc.get_threshold()}}


def during(generator):
    seen["during"] = gc.get_threshold()


def after(pelican):
    seen["after"] = gc.get_threshold()
    NOTES.write_text(json.dumps(seen), "utf-8")


def register():
    signals.article_generator_finalized.connect(during)
    signals.finalized.connect(after)
"""


def test_the_build_runs_with_the_raised_thresholds_and_ends_with_the_old(tmp_path):
    assert "gc_thresholds" in SITE_PLUGINS
    plugins = tmp_path / "plugins"
    (plugins / "gc_observer").mkdir(parents=True)
    notes = tmp_path / "thresholds.json"
    observer = OBSERVER.format(notes=str(notes))
    (plugins / "gc_observer" / "__init__.py").write_text(observer, "utf-8")
    paths = [str(PROJECT / "plugins"), str(plugins)]
    build(
        tmp_path / "output",
        extra=[
            "-e",
            f"PLUGIN_PATHS={json.dumps(paths)}",
            f"PLUGINS={json.dumps([*SITE_PLUGINS, 'gc_observer'])}",
        ],
    )
    seen = {name: tuple(value) for name, value in json.loads(notes.read_text()).items()}
    assert seen["during"] == THRESHOLDS
    assert seen["loaded"] != THRESHOLDS
    assert seen["after"] == seen["loaded"]
