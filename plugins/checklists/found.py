"""Each essay's checklists, found while Markdown converts it.

The checklists plugin finds an essay's checklists in its HTML (extract.py).
Done when the articles generator is finished, that parsed every essay again
on every build, warm ones too, in the main process. Done at the end of the
essay's own conversion instead, the result travels with the essay's metadata:
it is made by plugins/parallel_build's workers on a cold build and kept in
Pelican's content cache on a warm one.

The essay's title and URL are not known yet while it is converted: the title
(a list's title of last resort) is a stand-in, replaced when the checklists
are collected; the URL only matters to the links inside items, so an essay
with a link in an item records nothing and is read again when collected.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from .extract import Checklist, Item, extract

FOUND_METADATA = "checklists_found"
ESSAY_TITLE_STANDIN = "\x00the essay's title\x00"
ESSAY_URL_STANDIN = "the-essay/"


def found_json(html: str) -> str | None:
    """The checklists in an essay's HTML, as JSON; None when its URL matters."""
    checklists = extract(html, ESSAY_TITLE_STANDIN, ESSAY_URL_STANDIN)
    if any("href=" in item.html for c in checklists for item in c.items):
        return None
    return json.dumps([asdict(checklist) for checklist in checklists])


def checklists_from(found: str, essay_title: str) -> list[Checklist]:
    """The recorded checklists, with the essay's own title where it stands in."""
    checklists = []
    for data in json.loads(found):
        items = [Item(**item) for item in data.pop("items")]
        if data["title"] == ESSAY_TITLE_STANDIN:
            data["title"] = essay_title
        checklists.append(Checklist(**data, items=items))
    return checklists
