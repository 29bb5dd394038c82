"""Test-only: the `checked` field the checklist engine is to give task-list
items ("- [x]"), for builds made before it does.

Today's engine leaves "[x] " / "[ ] " at the start of a task item's text and
sets no `checked`. For items without one, this plugin sets it from that prefix
and takes the prefix off, as the engine will; once the engine sets `checked`
itself, the plugin leaves every item alone and the tests use the real field.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from pelican import signals

_TASK = re.compile(r"^\[([ xX])\]\s+")


def _take_off(text: str) -> str:
    return _TASK.sub("", text, count=1)


@cache
def _with_checked(item_class: type) -> type:
    # A field, not an attribute: the plugin copies items with
    # dataclasses.replace, which keeps fields only.
    return dataclasses.make_dataclass(
        "TaskItem", [("checked", bool, False)], bases=(item_class,)
    )


def mark_task_items(generator) -> None:
    for essay in generator.context.get("checklist_essays", []):
        for checklist in essay.checklists:
            for index, item in enumerate(checklist.items):
                if hasattr(item, "checked"):
                    continue
                match = _TASK.match(item.text)
                fields = {
                    f.name: getattr(item, f.name) for f in dataclasses.fields(item)
                }
                if match:
                    fields["text"] = _take_off(item.text)
                    fields["html"] = _take_off(item.html)
                checklist.items[index] = _with_checked(type(item))(
                    **fields, checked=bool(match) and match.group(1) in "xX"
                )


def register() -> None:
    # After plugins/checklists' own handler (receivers run in the order
    # they were connected, and this plugin is listed after it).
    signals.article_generator_finalized.connect(mark_task_items)
