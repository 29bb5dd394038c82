"""Drafts and scheduled essays: shown in development with a banner, never published."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.authoring_content import essay
from tests.sitebuild import build, copy_content

DRAFT = essay(
    title="Zq Draft Title",
    slug="zq-draft",
    index=6,
    date="2026-11-15 09:00",
    extra="Status: draft\n",
    body="Zq-draft-body.\n",
).replace("Tags: listening", "Tags: zq-draft-tag")
SCHEDULED = essay(
    title="Zq Scheduled Title",
    slug="zq-scheduled",
    index=7,
    date="2999-01-01 09:00",
    body="Zq-scheduled-body.\n",
).replace("Tags: listening", "Tags: zq-scheduled-tag")
MARKERS = [b"Zq Draft", b"zq-draft", b"Zq-draft", b"Zq Scheduled", b"zq-scheduled"]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    content = copy_content(tmp_path_factory.mktemp("unpublished") / "content")
    (content / "essays" / "06-zq-draft.md").write_text(DRAFT, "utf-8")
    (content / "essays" / "07-zq-scheduled.md").write_text(SCHEDULED, "utf-8")
    return content


def every_text(output: Path) -> dict[Path, bytes]:
    """Every file's bytes, gzip-compressed ones (Pagefind's index) opened."""
    files = {}
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            files[path] = data
    return files


def test_publish_leaves_out_drafts_and_future_essays_entirely(content, tmp_path):
    output = build(
        tmp_path / "output",
        settings="publishconf.py",
        content=content,
        env={"SITEURL": "https://essays.example.org"},
    )
    assert (output / "customer-disservice" / "index.html").is_file()
    leaks = sorted(
        str(path.relative_to(output))
        for path, data in every_text(output).items()
        if any(marker in data for marker in MARKERS)
    )
    assert leaks == []
    assert not (output / "drafts").exists()


def test_development_shows_drafts_under_drafts(content, tmp_path):
    output = build(tmp_path / "output", content=content)
    html = (output / "drafts" / "zq-draft" / "index.html").read_text("utf-8")
    assert "Zq-draft-body." in html
    assert '<aside class="draft-banner"' in html
    assert "<strong>Draft.</strong>" in html
    published = (output / "customer-disservice" / "index.html").read_text("utf-8")
    assert "draft-banner" not in published


@pytest.fixture(scope="module")
def preview(content, tmp_path_factory):
    """The site as the devserver builds it: scheduled essays are drafts too."""
    from tests.browser import serve

    output = build(
        tmp_path_factory.mktemp("preview") / "output",
        content=content,
        extra=["-e", "WITH_FUTURE_DATES=false"],
    )
    with serve(output) as url:
        yield output, url


def test_a_scheduled_essay_is_marked_with_its_date(preview):
    output, _ = preview
    html = (output / "drafts" / "zq-scheduled" / "index.html").read_text("utf-8")
    assert "<strong>Scheduled for 1 January 2999.</strong>" in html
    assert not (output / "zq-scheduled").exists()


def test_the_draft_banner_is_visible_and_readable(preview, page):
    _, url = preview
    page.goto(f"{url}/drafts/zq-draft/")
    banner = page.locator("aside.draft-banner")
    assert banner.is_visible()
    assert banner.inner_text().startswith("Draft. This is not published")
    box = banner.bounding_box()
    assert box is not None and box["height"] > 30 and box["width"] > 200
    colours = banner.evaluate(
        "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
    )
    assert colours == ["rgb(255, 241, 194)", "rgb(29, 29, 31)"]
    # It comes before the essay, so it is the first thing read.
    assert page.evaluate(
        "document.querySelector('aside.draft-banner').compareDocumentPosition("
        "document.querySelector('main')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
