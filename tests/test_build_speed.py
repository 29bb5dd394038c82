"""The speed plugins change how fast the site is built, never what is built.

frozen_urls, template_cache, parallel_build and gc_thresholds are
checked against builds without them, file by file, on the real essays plus
essays that exercise the Markdown state a reused converter must reset.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from authoring.project import load_project
from tests.sitebuild import PROJECT, build, copy_content

SPEED_PLUGINS = ["frozen_urls", "template_cache", "parallel_build", "gc_thresholds"]
SITE_PLUGINS = load_project(PROJECT / "pelicanconf.py").settings["PLUGINS"]

# Footnotes, abbreviations, heading ids and link references are state a
# Markdown converter keeps per document: two essays that use the same
# names must not see each other's.
STATEFUL_ESSAY = """Title: Stateful {n}
Date: 2026-12-0{n} 09:00
Category: Customer Service
Tags: testing
Slug: stateful-{n}
Series: State
Series_index: {n}
Summary: A *test* essay, number {n}, with "quotes".

## Listening

A claim{n}[^note] about the CSR and a [reference link][ref].

Smart punctuation: it's the '90s -- "quoted", 'single' --- and so on...
A "quote with *emphasis* inside" and `code's "quotes"` left alone.

*[CSR]: Customer Service Representative {n}

[^note]: Footnote of essay {n}.

[ref]: https://example.org/{n}

## Listening

- An item with a [link]({{filename}}/essays/01-customer-disservice.md)
- Another item
"""
# The second one has no footnote, abbreviation or reference of its own.
PLAIN_ESSAY = """Title: Stateless
Date: 2026-12-09 09:00
Category: Customer Service
Tags: testing
Slug: stateless
Summary: Nothing carried over.

## Listening

A claim[^note] about the CSR and a [reference link][ref].
"""


def site_files(output: Path) -> dict[str, bytes]:
    """Every output file, without what differs between any two builds."""
    files = {}
    for path in sorted(output.rglob("*")):
        name = str(path.relative_to(output))
        # Pagefind names some files by a hash of the run, and the sitemap
        # holds the build's time.
        if path.is_dir() or name.startswith("pagefind/") or name == "sitemap.xml":
            continue
        files[name] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = copy_content(tmp_path_factory.mktemp("speed") / "content")
    for n in (1, 2):
        essay = STATEFUL_ESSAY.format(n=n)
        (folder / "essays" / f"9{n}-stateful.md").write_text(essay, "utf-8")
    (folder / "essays" / "93-stateless.md").write_text(PLAIN_ESSAY, "utf-8")
    return folder


def build_with(plugins: list[str], content: Path, output: Path) -> Path:
    return build(
        output, content=content, extra=["-e", f"PLUGINS={json.dumps(plugins)}"]
    )


def test_the_site_is_the_same_with_and_without_the_speed_plugins(content, tmp_path):
    assert set(SPEED_PLUGINS) <= set(SITE_PLUGINS)
    without = [p for p in SITE_PLUGINS if p not in SPEED_PLUGINS]
    fast = site_files(build_with(SITE_PLUGINS, content, tmp_path / "fast"))
    slow = site_files(build_with(without, content, tmp_path / "slow"))
    assert sorted(fast) == sorted(slow)
    different = [name for name in fast if fast[name] != slow[name]]
    assert different == []


# The mechanisms the right-sizing removed (docs/build-speed.md keeps their
# history in its table and notes; nothing else names them).
REMOVED = ("skip_unchanged", "fast_markdown", "primed_builds", "reading-time memo")


def test_no_code_or_doc_still_names_a_removed_mechanism():
    folders = ("plugins", "authoring", "bench", "tests", "docs")
    sources = [
        path
        for folder in folders
        for pattern in ("*.py", "*.md")
        for path in (PROJECT / folder).rglob(pattern)
        if path != Path(__file__).resolve()
        and path != PROJECT / "docs" / "build-speed.md"
    ]
    sources += [PROJECT / name for name in ("pelicanconf.py", "publishconf.py")]
    sources.append(PROJECT / "Makefile")
    named = [
        f"{path.relative_to(PROJECT)}:{number}: {name}"
        for path in sorted(sources)
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        for name in REMOVED
        if name in line
    ]
    assert named == []
    # The bench's list of speed plugins is this file's.
    bench = (PROJECT / "bench" / "speed_layer.py").read_text("utf-8")
    listed = bench.split("SPEED_PLUGINS = (", 1)[1].split(")", 1)[0]
    assert [name.strip(' ",') for name in listed.split()] == SPEED_PLUGINS
