"""The published essays' checklists, in series order, for the page and the JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from html import unescape
from typing import Any

from plugins.machinery import compat

from .extract import SITE_ROOT, Checklist, extract, prefix_links
from .mdext import DECISIONS_METADATA

SCHEMA_VERSION = 1
# Pelican's intrasite link syntax, still unresolved in the reader's HTML
# (compat.rendered_html).
_INTRASITE = re.compile(r"""href="(?:\{|\|)\w+(?:\}|\|)""")


@dataclass
class Essay:
    title: str
    url: str  # relative to the site root: "what-is-customer-service/"
    slug: str
    author: str | None
    date: str
    tags: list[str]
    series_index: int | None
    checklists: list[Checklist] = field(default_factory=list)


def _series_index(article) -> int | None:
    value = getattr(article, "series_index", None)
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def collect(articles, settings: dict) -> list[Essay]:
    """Published essays (drafts and hidden ones never get here) with checklists."""
    essays = []
    for article in articles:
        if getattr(article, "status", "published") != "published":
            continue
        author = getattr(article, "author", None)
        url = article.url  # a property formatted anew on each read
        essay = Essay(
            title=article.title,
            url=url,
            slug=article.slug,
            author=str(author) if author else None,
            date=article.date.isoformat(),
            tags=[str(tag) for tag in getattr(article, "tags", [])],
            series_index=_series_index(article),
        )
        title = _plain(article.title)
        # The stored HTML, unless it links to other content ({filename} and
        # friends): then the rendered HTML with links under SITE_ROOT, which
        # extract() makes site-root relative. get_content rewrites the whole
        # essay, so it is only paid for where it is needed.
        html = compat.rendered_html(article)
        if _INTRASITE.search(html):
            html = article.get_content(SITE_ROOT.rstrip("/"))
        essay.checklists = extract(html, title, url)
        reasons = _reasons(article.metadata.get(DECISIONS_METADATA))
        for checklist in essay.checklists:
            checklist.kept_because = reasons.get(checklist.id) or (
                "marked prose list" if checklist.form == "inline" else ""
            )
        if essay.checklists:
            essays.append(essay)
    essays.sort(
        key=lambda e: (e.series_index is None, e.series_index or 0, e.date, e.title)
    )
    return essays


def _reasons(decisions: str | None) -> dict[str, str]:
    if not decisions:
        return {}
    return {d["id"]: d["reason"] for d in json.loads(decisions) if d.get("id")}


def _plain(html: str) -> str:
    """A title as text (titles may hold entities or, rarely, tags)."""
    if "<" not in html and "&" not in html:
        return html
    return unescape(re.sub(r"<[^>]*>", "", html))


def essay_groups(essays: list[Essay], link_prefix: str) -> list[Essay]:
    """The essays for the quick-reference page, item links made to work there."""
    if not any(
        "href=" in i.html for e in essays for c in e.checklists for i in c.items
    ):
        return essays
    return [
        replace(
            essay,
            checklists=[
                replace(
                    checklist,
                    items=[
                        replace(item, html=prefix_links(item.html, link_prefix))
                        for item in checklist.items
                    ],
                )
                for checklist in essay.checklists
            ],
        )
        for essay in essays
    ]


def to_json(essays: list[Essay], settings: dict) -> dict[str, Any]:
    """checklists.json: see the docs/checklists.md "checklists.json" section."""
    checklists = []
    for essay in essays:
        for checklist in essay.checklists:
            checklists.append(
                {
                    "id": checklist.id,
                    "title": checklist.title,
                    "form": checklist.form,
                    "ordered": checklist.ordered,
                    "anchor": f"{essay.url}#{checklist.id}",
                    "essay_title": _plain(essay.title),
                    "essay_url": essay.url,
                    "author": essay.author,
                    "date": essay.date,
                    "tags": essay.tags,
                    "series_index": essay.series_index,
                    "kept_because": checklist.kept_because,
                    "items": [
                        {
                            "id": item.id,
                            "anchor": f"{essay.url}#{item.id}",
                            "text": item.text,
                            "html": item.html,
                            "depth": item.depth,
                            "checked": item.checked,
                        }
                        for item in checklist.items
                    ],
                }
            )
    return {
        "version": SCHEMA_VERSION,
        "site_url": settings.get("SITEURL", ""),
        "checklists": checklists,
    }
