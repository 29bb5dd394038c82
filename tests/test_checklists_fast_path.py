"""normalize()'s shortcut (gfm_lists.flat_list_shapes) says exactly what the
parse says, or leaves the text to the parse.

Every text here goes through both normalize() and normalize_by_parsing();
their lines, line origins and list shapes must be equal. The texts are the
tricky ones (lists that are not lists, lists that hide in code or HTML,
lazy lines, markers that change), the fixture essays, the seed essays, and
a few thousand texts put together at random from such lines.
"""

from __future__ import annotations

import random
import sys

import pytest

from tests.sitebuild import PROJECT

GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]

sys.path[:0] = PLUGIN_FOLDERS
from checklists.gfm_lists import (  # noqa: E402
    flat_list_shapes,
    normalize,
    normalize_by_parsing,
)

TRICKY = [
    # Lists the shortcut reads itself.
    "Intro:\n\n- one\n- two\n- three\n",
    "1. one\n2. two\n\n- other\n",
    "- one\n\n* two\n\n+ three\n",
    "- one\nlazy line of one\n- two\n",
    "1. one\nlazy\n2. two\n7. three\n",
    "- [ ] task\n- [x] done\n",
    "- one\n\nText after.\n\n- again\n",
    "Title: x\nDate: 2020\n\n- one\n- two\n{: .checklist }\n",
    "> quoted text\n\n- one\n",
    "2020 was long.\n\n- one\n\n2021 too.\n",
    "Text\n---\n\n- one\n",
    # Lists the shortcut must leave to the parse.
    "Text right above:\n- one\n- two\n",
    "- one\n- two\n\n- three\n",
    "- one\n  - nested\n- two\n",
    "- one\n\n  body of one\n- two\n",
    "- one\n\n- two\nlazy\n- three\n",
    "```\n- not a list\n\n- still code\n```\n",
    "~~~\n- code\n~~~\n",
    "<div>\n- raw html\n</div>\n\n- list\n",
    "<!--\n\n- commented out\n\n-->\n",
    "    - indented code\n",
    "- - -\n",
    "* * *\n\n- one\n",
    "- one\n---\n",
    "- one\n***\n",
    "- one\n# heading\n",
    "- one\n> quote\n",
    "- one\n===\n",
    "- # heading item\nafter\n",
    "- > quote item\nlazy\n",
    "- one\n-\n",
    "-\tone\n",
    "1) one\n2) two\n",
    "- one\n1. two\n",
    "- 1. nested at once\n",
    "1.  two spaces\n",
    "> - quoted list\n> - two\n",
    "> text\n- list under a quote\n",
    "Para\n* not emphasis\n",
    "*emphasis* then\n\n- one\n*emphasis* lazy\n",
    "- one\n_under_ lazy\n",
    "\u00a0- nbsp first\n",
    "- one\n\u00a0\n- two\n",
    "- one\n \n- two\n",
    "- one\n\t\n- two\n",
    "10. ten\n11. eleven\n",
    "- one\n1234567890. long number\n",
]
LINES = [
    "",
    "",
    "Text.",
    "Text:",
    "- item",
    "- item",
    "* star",
    "+ plus",
    "1. one",
    "2. two",
    "1) paren",
    "  - nested",
    "    indented",
    "> quote",
    "> - quoted item",
    "```",
    "~~~",
    "<div>",
    "<!--",
    "-->",
    "---",
    "===",
    "# Heading",
    "- [ ] task",
    "- - -",
    "-",
    "[link](x) lazy",
    "{: .checklist }",
    "*em* text",
    "2020. year",
]


# Lines the shortcut takes: texts of these alone test its own reading.
PLAIN = ["", "", "Text.", "Text:", "- item", "* star", "1. one", "2. two", "- [x] t"]


def _same(text: str) -> bool:
    """Both readings agree; True when the shortcut read a list itself."""
    lines = text.split("\n")
    assert normalize(lines) == normalize_by_parsing(lines), text
    return bool(flat_list_shapes(lines))


def test_the_shortcut_reads_tricky_texts_as_the_parse_does():
    taken = [text for text in TRICKY if _same(text)]
    # It is a shortcut: plain lists (the first eleven texts) take it.
    assert taken[:11] == TRICKY[:11]
    assert flat_list_shapes(["```", "- x", "```"]) is None


def test_the_shortcut_reads_random_texts_as_the_parse_does():
    rng = random.Random(13)
    taken = 0
    for _ in range(4000):
        pool = rng.choice((LINES, PLAIN))
        text = "\n".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
        taken += _same(text)
    assert taken > 300  # the shortcut was tried, not always refused


@pytest.mark.parametrize(
    "folder", ["tests/fixtures/checklists", "content", "tests/fixtures"]
)
def test_the_shortcut_reads_the_essays_as_the_parse_does(folder):
    paths = sorted((PROJECT / folder).rglob("*.md"))
    assert paths
    for path in paths:
        _same(path.read_text("utf-8"))


def test_the_markers_placeholders_end_a_list_alike():
    lines = ["", "- one", "- two", "{: .checklist }", "", "Text.", "", "- three"]
    breaks = frozenset({3})
    assert normalize(lines, breaks) == normalize_by_parsing(lines, breaks)
    assert [s.depths for s in normalize(lines, breaks).shapes] == [[0, 0], [0]]
    assert flat_list_shapes(lines)  # the shortcut read it


def test_a_line_the_shortcut_cannot_vouch_for_sends_the_text_to_the_parse():
    # Fails if the shortcut takes "- one\\n---" (a rule ends the list there).
    assert flat_list_shapes(["- one", "---"]) is None
    assert flat_list_shapes(["Text:", "- one"]) is None
    assert flat_list_shapes(["", "- one", "- two"]) is not None
