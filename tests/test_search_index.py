"""plugins/features/pagefind_search: the index of the written site, the setting that
leaves it out of a build (the devserver's), and failures reported clearly.

tests/pagefind_bundle.py, which the devserver's tests use to read a bundle,
is checked here too: it tells two indexes apart.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from plugins.features.pagefind_search.pagefind_search import pagefind_executable
from tests.pagefind_bundle import contents, page_urls
from tests.sitebuild import PROJECT, build, run_pelican


def cli_bundle(output: Path, bundle: Path) -> Path:
    """Pagefind's CLI over the finished folder, into a bundle of its own."""
    subprocess.run(
        [
            str(pagefind_executable()),
            "--site",
            str(output),
            "--output-path",
            str(bundle),
            "--quiet",
        ],
        check=True,
        capture_output=True,
    )
    return bundle


def logged(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def test_two_runs_index_the_same_and_one_page_less_is_seen(site, tmp_path):
    """Two runs over one site write different bytes (Pagefind numbers pages in
    the order it met them, and writes filters from a hash map) but the same
    index; one page less is a different index."""
    copy = tmp_path / "site"
    subprocess.run(["cp", "-r", str(site), str(copy)], check=True)
    whole = contents(cli_bundle(copy, tmp_path / "whole"))
    assert contents(cli_bundle(copy, tmp_path / "again")) == whole
    (copy / "customer-disservice" / "index.html").unlink()
    assert contents(cli_bundle(copy, tmp_path / "less")) != whole


def test_the_site_index_holds_the_essays_and_the_quick_reference(site):
    urls = page_urls(site / "pagefind")
    assert "/quick-reference/" in urls
    assert "/customer-disservice/" in urls
    assert not any(url.startswith(("/drafts/", "/tag/", "/archives/")) for url in urls)


def test_the_quick_references_fragment_holds_no_anchor_per_item(site):
    """Pagefind keeps every element with an id, and its text, in a page's
    fragment, which a reader downloads with a search result: the quick
    reference's items carry none (quickref.js gives them theirs), only its
    essays' sections and checklists' headings do, for sub-results."""
    fragments = contents(site / "pagefind")["en"]["fragments"].values()
    quick_reference = next(f for f in fragments if f["url"] == "/quick-reference/")
    html = (site / "quick-reference" / "index.html").read_text("utf-8")
    assert html.count('class="quickref-item') > 10
    anchors = quick_reference["anchors"]
    assert {anchor["element"] for anchor in anchors} == {"section", "h3"}
    headings = [anchor for anchor in anchors if anchor["element"] == "h3"]
    assert len(headings) == html.count("<h3 ")


def test_the_index_made_during_the_build_is_that_of_the_finished_site(site, tmp_path):
    """Pagefind starts once the essays and the quick reference are written,
    while Pelican still writes the listings: nothing is missing for it."""
    assert contents(site / "pagefind") == contents(cli_bundle(site, tmp_path / "after"))


def theme_with(tmp_path: Path, template: str, old: str, new: str) -> Path:
    """A copy of the theme with one template's `old` text made `new`."""
    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme, dirs_exist_ok=True)
    path = theme / "templates" / template
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")
    return theme


def debug_build(output: Path, *extra: str) -> subprocess.CompletedProcess:
    result = run_pelican(
        output,
        extra=["--debug", *extra],
        # Pelican's plain handler shows no INFO; Rich's, one per line.
        log_handler=None,
        env={"COLUMNS": "300"},
    )
    assert result.returncode == 0, logged(result)
    return result


def test_pagefind_starts_before_the_listings_and_indexes_once(tmp_path):
    log = logged(debug_build(tmp_path / "output"))
    started = log.index("indexing in the background from here")
    assert log.index("/quick-reference/index.html") < started
    assert log.index("/customer-disservice/index.html") < started
    assert started < log.index("/archives/index.html")
    assert "indexing the finished site again" not in log


def test_an_indexed_page_written_after_the_start_is_indexed_too(tmp_path):
    """A theme that marks a listing for the index (written after the essays):
    the finished site is indexed again, and the listing is found."""
    theme = theme_with(tmp_path, "archives.html", "<h1>", "<h1 data-pagefind-body>")
    output = tmp_path / "output"
    log = logged(debug_build(output, "-e", f'THEME="{theme}"'))
    assert "indexing the finished site again" in log
    assert "/archives/" in page_urls(output / "pagefind")
    assert contents(output / "pagefind") == contents(
        cli_bundle(output, tmp_path / "after")
    )


def test_without_any_indexed_part_every_page_is_indexed_at_the_end(tmp_path):
    """A theme marking nothing: Pagefind indexes whole pages, listings too, so
    it must not start while they are written."""
    theme = theme_with(
        tmp_path,
        "article.html",
        " data-pagefind-body data-pagefind-filter",
        " data-pagefind-filter",
    )
    quick_reference = theme / "templates" / "quick_reference.html"
    text = quick_reference.read_text("utf-8")
    quick_reference.write_text(text.replace(" data-pagefind-body", ""), "utf-8")
    templates = theme.rglob("*.html")
    assert not any("data-pagefind-body" in t.read_text("utf-8") for t in templates)
    output = tmp_path / "output"
    log = logged(debug_build(output, "-e", f'THEME="{theme}"'))
    assert "no indexed page yet; indexing at the end" in log
    assert "indexing in the background from here" not in log
    urls = set(page_urls(output / "pagefind"))
    assert {"/archives/", "/tags/", "/customer-disservice/"} <= urls
    assert contents(output / "pagefind") == contents(
        cli_bundle(output, tmp_path / "after")
    )


def test_the_index_can_be_left_out_of_the_build(tmp_path):
    output = build(
        tmp_path / "output", extra=["-e", 'PAGEFIND_SEARCH={"build_index": false}']
    )
    assert (output / "customer-disservice" / "index.html").is_file()
    assert not (output / "pagefind").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            '{"build_indx": false}',
            'PAGEFIND_SEARCH["build_indx"]: unknown key (did you mean "build_index"?)',
        ),
        (
            '{"build_index": "no"}',
            'PAGEFIND_SEARCH["build_index"]: must be True or False, not "no"',
        ),
        ("[]", "PAGEFIND_SEARCH: must be a dict, not list"),
    ],
)
def test_a_wrong_setting_stops_the_build_with_its_name(tmp_path, value, message):
    result = run_pelican(tmp_path / "output", extra=["-e", f"PAGEFIND_SEARCH={value}"])
    assert result.returncode != 0
    assert message in logged(result)
    assert not (tmp_path / "output" / "index.html").exists()


def fake_pagefind(tmp_path: Path, script: str) -> dict[str, str]:
    """An environment whose Pagefind binary is `script` (pagefind's own
    lookup reads $PAGEFIND_BINARY_PATH first)."""
    binary = tmp_path / "fake-pagefind"
    binary.write_text("#!/bin/sh\n" + script, "utf-8")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return {"PAGEFIND_BINARY_PATH": str(binary)}


def test_no_binary_is_one_clear_error_and_the_site_is_built(tmp_path):
    result = run_pelican(
        tmp_path / "output",
        env={"PAGEFIND_BINARY_PATH": str(tmp_path / "nowhere" / "pagefind")},
        fatal_warnings=False,
    )
    assert result.returncode == 0, logged(result)
    assert "pagefind_search: no Pagefind binary (not found:" in logged(result)
    assert "nowhere/pagefind" in logged(result)
    assert (tmp_path / "output" / "customer-disservice" / "index.html").is_file()
    assert not (tmp_path / "output" / "pagefind").exists()


def test_a_failing_pagefind_is_reported_and_the_site_is_built(tmp_path):
    env = fake_pagefind(tmp_path, 'echo "boom: cannot index" >&2\nexit 3\n')
    result = run_pelican(tmp_path / "output", env=env, fatal_warnings=False)
    assert result.returncode == 0, logged(result)
    assert "pagefind_search: Pagefind failed (3):" in logged(result)
    assert "boom: cannot index" in logged(result)
    assert (tmp_path / "output" / "customer-disservice" / "index.html").is_file()
    # `make publish` (warnings fatal) stops on it.
    fatal = run_pelican(tmp_path / "fatal", env=env)
    assert fatal.returncode != 0
    assert "boom: cannot index" in logged(fatal)
