"""The speed plugins change how fast the site is built, never what is built.

frozen_urls, fast_markdown and template_cache (README "Build speed") are
checked against builds without them, file by file, on the real essays plus
essays that exercise the Markdown state a reused converter must reset.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from authoring.project import load_project
from tests.sitebuild import PROJECT, build, copy_content

SPEED_PLUGINS = ["frozen_urls", "fast_markdown", "template_cache"]
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


def test_a_reused_converter_keeps_no_state_between_essays(content, tmp_path):
    output = build_with(SITE_PLUGINS, content, tmp_path / "output")
    second = (output / "stateful-2" / "index.html").read_text("utf-8")
    stateless = (output / "stateless" / "index.html").read_text("utf-8")
    assert "Footnote of essay 2." in second
    assert "Footnote of essay 1." not in second
    assert "Customer Service Representative 2" in second
    assert "Customer Service Representative 1" not in second
    assert "https://example.org/2" in second
    # Heading ids start again in every essay: the second "Listening" of
    # each is listening_1, never listening_2 carried from the essay before.
    assert 'id="listening"' in second and 'id="listening_1"' in second
    assert 'id="listening_2"' not in second
    # Nothing defined by another essay turns into a footnote, an
    # abbreviation or a link here: the text stays as written.
    assert "[^note]" in stateless and "[reference link][ref]" in stateless
    assert "<abbr" not in stateless
    # The Summary is converted by the fields' converter: emphasis and smart
    # quotes (the home page shows it as text).
    index = (output / "index.html").read_text("utf-8")
    assert "A test essay, number 2, with \u201cquotes\u201d." in index


def cached_build(content: Path, output: Path, theme: Path, *settings: str) -> None:
    """A build with the content cache on, as `make html` and the devserver run."""
    build(
        output,
        content=content,
        ignore_cache=False,
        cache_path=output.parent / "cache",
        extra=["-e", f"THEME={json.dumps(str(theme))}", *settings],
    )


def test_a_changed_template_is_compiled_again(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme)
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"

    cached_build(content, output, theme)
    assert list((tmp_path / "cache" / "jinja").iterdir()), "no compiled templates"
    cached_build(content, output, theme)
    essay = output / "customer-disservice" / "index.html"
    assert "speed-test-marker" not in essay.read_text("utf-8")

    template = theme / "templates" / "article.html"
    template.write_text(
        template.read_text("utf-8").replace(
            '<article class="essay">', '<article class="essay speed-test-marker">'
        ),
        "utf-8",
    )
    cached_build(content, output, theme)
    assert "speed-test-marker" in essay.read_text("utf-8")


def test_compiled_templates_follow_the_jinja_settings(tmp_path):
    """trim_blocks changes the compiled code, not the source: the content
    cache's guard sees the setting change, and the templates are compiled again."""
    content = copy_content(tmp_path / "content")
    output = tmp_path / "output"
    page = output / "customer-disservice" / "index.html"
    untrimmed = 'JINJA_ENVIRONMENT={"trim_blocks": false, "lstrip_blocks": false}'

    cached_build(content, output, PROJECT / "theme")
    trimmed = page.read_text("utf-8")
    cached_build(content, output, PROJECT / "theme", untrimmed)
    loose = page.read_text("utf-8")
    assert loose != trimmed
    cached_build(content, output, PROJECT / "theme", untrimmed)
    assert page.read_text("utf-8") == loose
    cached_build(content, output, PROJECT / "theme")
    assert page.read_text("utf-8") == trimmed
