"""The decision on unmarked lists, rule by rule, on small essays of our own."""

from __future__ import annotations

import sys

import markdown

from tests.sitebuild import PROJECT

GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]

sys.path[:0] = PLUGIN_FOLDERS
from checklists.mdext import ChecklistExtension  # noqa: E402


def decisions(text: str) -> list[dict]:
    extension = ChecklistExtension(ref_link=False)
    markdown.Markdown(extensions=["extra", extension]).convert(text)
    return extension.last_state.decisions


def test_a_task_list_is_a_checklist_even_in_the_past_tense():
    text = "### Review\n\n- [ ] Greeted the customer\n- [x] Answered the question\n"
    (decision,) = decisions(text)
    assert decision["kept"] and "a task list" in decision["reason"]


def test_a_long_procedure_is_counted_by_its_steps_not_its_sub_steps():
    steps = "".join(f"{n}. Step {n}\n    - a\n    - b\n    - c\n" for n in range(1, 10))
    (decision,) = decisions("Do this:\n\n" + steps)
    assert decision["kept"] and "9 items" in decision["reason"]


def test_a_heading_right_above_introduces_its_list():
    text = "## By the end of week one, this is true…\n\n- You met them\n- You read it\n"
    (decision,) = decisions(text)
    assert decision["kept"] and "introduced by its lead-in" in decision["reason"]


def test_a_lead_in_ending_in_an_ellipsis_introduces_its_list():
    text = "When we write docs, we…\n\n- keep pages short\n- link the source\n"
    (decision,) = decisions(text)
    assert decision["kept"]


def test_a_lead_in_announcing_kinds_or_options_counts_against_the_list():
    text = "There are two types of article:\n\n- Internal ones\n- Public ones\n"
    (decision,) = decisions(text)
    assert not decision["kept"] and "announces" in decision["reason"]
