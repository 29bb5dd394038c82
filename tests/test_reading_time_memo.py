"""plugins/reading_time/memo.py: word counts kept between builds by HTML.

A warm build counts again only the essays whose HTML changed and shows what
a cold build shows; the counts are read only while the content cache is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from plugins.reading_time import memo
from plugins.reading_time.memo import WordCounts
from plugins.reading_time.reading_time import count_words
from tests.sitebuild import build, copy_content

ESSAY = """Title: Counted
Date: 2027-03-01 09:00
Category: Customer Service
Tags: testing
Slug: counted
Summary: An essay whose words are counted.

{body}
"""


class Counter:
    """count_words, noting the HTML it was asked to count."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, html: str) -> int:
        self.asked.append(html)
        return count_words(html)


def settings(cache: Path, load: bool = True, keep: bool = True) -> dict:
    return {"CACHE_PATH": str(cache), "LOAD_CONTENT_CACHE": load, "CACHE_CONTENT": keep}


def test_only_new_html_is_counted_again(tmp_path):
    first = Counter()
    counts = WordCounts(settings(tmp_path), first)
    assert [counts.words(html) for html in ("<p>one two</p>", "<p>three</p>")] == [2, 1]
    counts.save()
    assert len(first.asked) == 2

    again = Counter()
    counts = WordCounts(settings(tmp_path), again)
    assert counts.words("<p>one two</p>") == 2
    assert counts.words("<p>four five six</p>") == 3
    counts.save()
    assert again.asked == ["<p>four five six</p>"]
    # Only this build's HTML is kept: "<p>three</p>" is gone.
    kept = json.loads((tmp_path / memo.FILE).read_text("utf-8"))["counts"]
    assert sorted(kept.values()) == [2, 3]


def test_the_counts_follow_the_content_cache(tmp_path):
    counts = WordCounts(settings(tmp_path), Counter())
    counts.words("<p>one two</p>")
    counts.save()

    ignoring = Counter()  # --ignore-cache, make publish, cache_guard's reset
    WordCounts(settings(tmp_path, load=False), ignoring).words("<p>one two</p>")
    assert ignoring.asked == ["<p>one two</p>"]

    off = Counter()  # CACHE_CONTENT off: nothing read, nothing written
    counts = WordCounts(settings(tmp_path / "off", keep=False), off)
    counts.words("<p>one two</p>")
    counts.save()
    assert off.asked == ["<p>one two</p>"]
    assert not (tmp_path / "off").exists()


def test_counts_made_otherwise_or_unreadable_are_not_used(tmp_path):
    counts = WordCounts(settings(tmp_path), Counter())
    counts.words("<p>one two</p>")
    counts.save()
    path = tmp_path / memo.FILE
    data = json.loads(path.read_text("utf-8"))

    # Another version of the counting code or of MarkupSafe made them.
    path.write_text(json.dumps({**data, "maker": "other"}), "utf-8")
    recount = Counter()
    assert WordCounts(settings(tmp_path), recount).words("<p>one two</p>") == 2
    assert recount.asked == ["<p>one two</p>"]

    for broken in ("{not json", '{"maker": 1}', json.dumps([data])):
        path.write_text(broken, "utf-8")
        recount = Counter()
        assert WordCounts(settings(tmp_path), recount).words("<p>one two</p>") == 2
        assert recount.asked == ["<p>one two</p>"]


def shown(output: Path) -> tuple[int, str]:
    """The essay's word count (its JSON-LD) and the reading time it shows."""
    page = (output / "counted" / "index.html").read_text("utf-8")
    words = int(re.search(r'"wordCount": (\d+)', page).group(1))
    minutes = re.search(r'class="[^"]*\breading-time">([^<]*)<', page).group(1)
    return words, minutes


def test_a_warm_build_after_an_edit_shows_what_a_cold_build_shows(tmp_path):
    content = copy_content(tmp_path / "content")
    essay = content / "essays" / "90-counted.md"
    essay.write_text(ESSAY.format(body="Listen first, then answer."), "utf-8")
    cache = tmp_path / "cache"
    warm = tmp_path / "warm"

    def warm_build() -> tuple[int, str]:
        return shown(build(warm, content=content, ignore_cache=False, cache_path=cache))

    def cold_build(name: str) -> tuple[int, str]:
        return shown(build(tmp_path / name, content=content))

    assert warm_build() == cold_build("cold-1") == (4, "1 min read")
    assert (cache / memo.FILE).exists()
    essay.write_text(ESSAY.format(body="Listen first. " * 150), "utf-8")
    assert warm_build() == cold_build("cold-2") == (300, "2 min read")


def test_counts_that_cannot_be_saved_are_a_warning(tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", "utf-8")
    counts = WordCounts(settings(blocked), Counter())
    assert counts.words("<p>one two</p>") == 2
    counts.save()
    assert "Could not save word counts" in caplog.text
    assert str(blocked / memo.FILE) in caplog.text
