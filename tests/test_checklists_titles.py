"""Titles a reader can tell apart: one label line and one lead-in in one
paragraph, and one title said three times in an essay.

The fixture (tests/fixtures/checklists/titles/support-tiers.md, written for
these tests) reproduces two patterns of real handbooks: "**Before the
call**" on the line above "Ask about:" with no blank line between, and a
"Responsibilities" list under each of three tiers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.sitebuild import PROJECT

GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]

sys.path[:0] = PLUGIN_FOLDERS
sys.path.insert(0, str(PROJECT))
from checklists.analyse import analyse  # noqa: E402

import pelicanconf  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "checklists" / "titles"


def titles(text: str) -> list[str]:
    found = analyse(text, pelicanconf.MARKDOWN, "auto", "Who answers what")
    return [checklist.title for _, checklist in found.checklists]


def test_the_titles_of_the_fixture():
    text = (FIXTURE / "support-tiers.md").read_text("utf-8")
    assert titles(text) == [
        "Responsibilities — Tier 1",
        "Responsibilities — Tier 2",
        "Responsibilities — Tier 3",
        "Ask about",
        "Do this",
        "When a call runs long, please write down",
    ]


def test_a_label_line_above_the_lead_in_is_not_in_the_title():
    text = "Intro.\n\n**Before the call**\nAsk about:\n\n- Their plan.\n- Their date.\n"
    assert titles(text) == ["Ask about"]


def test_a_lead_in_wrapped_over_two_lines_stays_whole():
    text = (
        "Intro.\n\nBefore you reply, check\nthese first:\n\n- The logs.\n- The plan.\n"
    )
    assert titles(text) == ["Before you reply, check these first"]


def test_a_title_said_once_is_left_alone():
    text = "## Tier 1\n\n### Responsibilities\n\n- Answer tickets.\n- Tag them.\n"
    assert titles(text) == ["Responsibilities"]


def test_titles_under_one_heading_keep_the_one_that_tells_them_apart():
    text = (
        "## Phones\n\n### Morning\n\nCheck:\n\n- The queue.\n- The voicemail.\n\n"
        "### Evening\n\nCheck:\n\n- The handover.\n- The log.\n"
    )
    assert titles(text) == ["Check — Morning", "Check — Evening"]


def test_a_title_the_author_gave_is_kept_even_when_repeated():
    text = (
        '## A\n\n- One thing.\n- Two things.\n{: .checklist title="Steps" }\n\n'
        '## B\n\n- Three things.\n- Four things.\n{: .checklist title="Steps" }\n'
    )
    assert titles(text) == ["Steps", "Steps"]
