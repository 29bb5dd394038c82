"""plugins/skip_unchanged: pages whose key cannot be made are written on
every build, and the build goes on (the site as a cold build makes it)."""

from __future__ import annotations

import json

from authoring.project import load_project
from tests.sitebuild import PROJECT
from tests.test_skip_unchanged import Site, stamp

SITE_PLUGINS = load_project(PROJECT / "pelicanconf.py").settings["PLUGINS"]

# A plugin giving one essay a value pickle cannot take (a lambda).
ODD_PLUGIN = """
from pelican import signals


def give_a_helper(generator):
    for article in generator.articles:
        if article.slug == "second-2":
            article.helper = lambda: "not picklable"


def register():
    signals.article_generator_finalized.connect(give_a_helper)
"""


def test_an_essay_that_cannot_be_digested_is_written_on_every_build(tmp_path):
    site = Site(tmp_path)
    plugin = site.plugins / "odd_helper"
    plugin.mkdir()
    (plugin / "__init__.py").write_text(ODD_PLUGIN, "utf-8")
    site.settings = ["-e", f"PLUGINS={json.dumps([*SITE_PLUGINS, 'odd_helper'])}"]
    site.warm()
    odd = site.output / "second-2" / "index.html"
    other = site.output / "second-1" / "index.html"
    before = {path: stamp(path) for path in (odd, other)}
    record = site.rebuild_and_compare()
    assert stamp(odd) != before[odd]
    assert stamp(other) == before[other]
    assert "second-2/index.html" not in record["outputs"]
    assert record["skipped"] > 0
