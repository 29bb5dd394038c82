"""Checklists recorded while an essay is converted (plugins/checklists/found.py)
are the ones the plugin finds in the finished HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import markdown
import pytest

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT / "plugins") not in sys.path:
    sys.path.insert(0, str(PROJECT / "plugins"))

from checklists.extract import extract  # noqa: E402
from checklists.found import FOUND_METADATA, checklists_from  # noqa: E402
from checklists.mdext import ChecklistExtension  # noqa: E402

ESSAYS = sorted((PROJECT / "content" / "essays").glob("*.md"))
LINKED_ITEM = """Title: Linked

What to read first:

- the [quick reference](../quick-reference/)
- the [about page](/about/)
"""


def convert(text: str) -> tuple[str, dict]:
    md = markdown.Markdown(
        extensions=["extra", "meta", "toc", "smarty", ChecklistExtension()],
        output_format="html5",
    )
    html = md.convert(text)
    return html, md.Meta


@pytest.mark.parametrize("essay", ESSAYS, ids=lambda path: path.stem)
def test_recorded_checklists_are_the_ones_in_the_html(essay):
    html, meta = convert(essay.read_text("utf-8"))
    expected = extract(html, "The essay", "the-essay/")
    if not expected:  # the first essay has no checklist
        assert FOUND_METADATA not in meta
        return
    # The seeds' items hold no links: recorded, title stand-in replaced.
    assert checklists_from(meta[FOUND_METADATA][0], "The essay") == expected


def test_a_list_titled_by_the_essay_gets_the_essays_title():
    html, meta = convert("Title: T\n\n- first\n- second\n")
    [checklist] = checklists_from(meta[FOUND_METADATA][0], "My essay")
    assert checklist.title == "My essay" == extract(html, "My essay", "x/")[0].title


def test_an_item_with_a_link_is_left_to_be_found_with_the_essays_url():
    html, meta = convert(LINKED_ITEM)
    assert FOUND_METADATA not in meta
    [checklist] = extract(html, "Linked", "linked/")
    assert 'href="quick-reference/"' in checklist.items[0].html
