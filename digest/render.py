"""Render the digest once: subject, HTML (CSS inlined) and plain text.

Everything that differs per subscriber (the unsubscribe URL, the address)
is a placeholder here, filled in by digest.mime for each message, so that a
list of 10,000 costs one render.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import css_inline
import lxml.html
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from digest.errors import DigestError
from digest.feed import Entry, Feed
from digest.text import html_to_text, one_line

# Plain ASCII words: they survive Jinja escaping, css-inline and HTML
# serialisation untouched, and appear nowhere else.
UNSUBSCRIBE_PLACEHOLDER = "digest-placeholder-unsubscribe-url-5d0c"
EMAIL_PLACEHOLDER = "digest-placeholder-subscriber-email-5d0c"
# Room left for the longest real URL and address replacing the placeholders.
PERSONAL_MARGIN_BYTES = 1024

FULL, SUMMARIES = "full", "summaries"


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    html: str
    text: str
    mode: str  # FULL, or SUMMARIES when the full HTML was too big


def period_label(entries: list[Entry]) -> str:
    """The months the entries were published in: "July 2026", "July–August 2026"."""
    first = min(e.published for e in entries)
    last = max(e.published for e in entries)
    if (first.year, first.month) == (last.year, last.month):
        return first.strftime("%B %Y")
    if first.year == last.year:
        return f"{first:%B}–{last:%B %Y}"
    return f"{first:%B %Y} – {last:%B %Y}"


def subject_for(title: str, entries: list[Entry]) -> str:
    count = len(entries)
    noun = "essay" if count == 1 else "essays"
    return one_line(f"{title}: {count} new {noun}, {period_label(entries)}")


def _environment(templates: Path) -> Environment:
    if not (templates / "digest.html").is_file():
        raise DigestError(f"{templates}: no digest.html template here")
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = lambda d: f"{d:%-d %B %Y}"
    return env


def _inline(html: str) -> str:
    # keep_at_rules: without it css-inline drops the <style> element and its
    # dark-mode @media rules. No remote loading: the email is self-contained.
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    return inliner.inline(html)


def _image_urls(html: str) -> set[str]:
    """Every image address the HTML shows (src and srcset), as written."""
    if "<img" not in html:
        return set()
    urls = set()
    for img in lxml.html.fragment_fromstring(html, create_parent="div").iter("img"):
        if img.get("src"):
            urls.add(img.get("src"))
        for candidate in (img.get("srcset") or "").split(","):
            if candidate.strip():
                urls.add(candidate.split()[0])
    return urls


def _lead_image(entry: Entry, html: str) -> str | None:
    """The essay's Image, unless its text shows that picture already."""
    if entry.image_url and entry.image_url not in _image_urls(html):
        return entry.image_url
    return None


def _entry_context(entry: Entry, mode: str) -> dict:
    html = entry.content_html if mode == FULL else entry.summary_html
    return {
        "title": entry.title,
        "link": entry.link,
        "published": entry.published,
        "author": entry.author,
        "image_url": _lead_image(entry, html),
        "html": Markup(html),
        "text": html_to_text(html),
    }


def _context(feed: Feed, title: str, entries: list[Entry], mode: str) -> dict:
    return {
        "subject": subject_for(title, entries),
        "site_title": title,
        "site_url": feed.link,
        "period": period_label(entries),
        "count": len(entries),
        "mode": mode,
        "entries": [_entry_context(e, mode) for e in entries],
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "subscriber_email": EMAIL_PLACEHOLDER,
    }


def render_digest(
    feed: Feed,
    entries: list[Entry],
    *,
    templates: Path,
    title: str | None,
    max_html_bytes: int,
) -> RenderedDigest:
    """Full essays; summaries and links instead when the HTML is too big."""
    if not entries:
        raise ValueError("a digest needs at least one entry")
    env = _environment(templates)
    name = one_line(title or feed.title or "Digest")
    for mode in (FULL, SUMMARIES):
        context = _context(feed, name, entries, mode)
        html = _inline(env.get_template("digest.html").render(context))
        if len(html.encode()) + PERSONAL_MARGIN_BYTES <= max_html_bytes:
            break
    text = env.get_template("digest.txt").render(context)
    return RenderedDigest(
        subject=context["subject"],
        html=html.replace("\r\n", "\n"),
        text=text.replace("\r\n", "\n"),
        mode=mode,
    )
