"""Read a feed (a file or a URL) into the entries a digest is made of."""

from __future__ import annotations

import calendar
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser

from digest.errors import DigestError
from digest.text import one_line

# The site's own feeds are absolute already (the same plugin); this guards the
# email against any other feed the command is pointed at. lxml only, no Pelican.
from plugins.workarounds.absolute_feed_urls.urls import absolutize_html


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    published: datetime
    author: str
    summary_html: str
    content_html: str
    image_url: str | None


@dataclass(frozen=True)
class Feed:
    title: str
    link: str
    entries: list[Entry]


def _date(entry) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _image(entry, link: str) -> str | None:
    for enclosure in entry.get("enclosures", []):
        href = enclosure.get("href")
        if href and str(enclosure.get("type", "")).startswith("image/"):
            return urljoin(link, href)
    return None


def _entry(raw, source: str, position: int) -> Entry:
    link = raw.get("link")
    entry_id = raw.get("id") or link
    if not entry_id or not link:
        raise DigestError(f"{source}: entry {position} has no id and no link")
    published = _date(raw)
    if published is None:
        raise DigestError(f"{source}: entry {entry_id} has no date")
    content = raw["content"][0]["value"] if raw.get("content") else raw.get("summary")
    summary = raw.get("summary", "")
    return Entry(
        id=entry_id,
        title=one_line(raw.get("title", "")) or link,
        link=link,
        published=published,
        author=one_line(raw.get("author", "")),
        summary_html=absolutize_html(summary or "", link),
        content_html=absolutize_html(content or "", link),
        image_url=_image(raw, link),
    )


def read_feed(source: str) -> Feed:
    """Entries oldest first. `source` is a path or an http(s) URL."""
    if not source.startswith(("http://", "https://")) and not Path(source).is_file():
        raise DigestError(f"{source}: no such feed file (build the site first?)")
    # resolve_relative_uris=False: feedparser resolves against the feed's own
    # address, the wrong base; absolutize_html() uses each entry's link instead.
    parsed = feedparser.parse(source, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        raise DigestError(f"{source}: not a readable feed ({parsed.bozo_exception})")
    if parsed.get("status", 200) >= 400:
        raise DigestError(f"{source}: HTTP {parsed.status}")
    entries = [_entry(raw, source, n) for n, raw in enumerate(parsed.entries, 1)]
    entries.sort(key=lambda e: e.published)
    return Feed(
        title=one_line(parsed.feed.get("title", "")),
        link=parsed.feed.get("link", ""),
        entries=entries,
    )


# Names that never reach a reader: a development build's links, or a test's.
_PRIVATE_SUFFIXES = (".localhost", ".local", ".test", ".invalid", ".internal", ".lan")


def public_https(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or host == "localhost":
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return "." in host and not host.endswith(_PRIVATE_SUFFIXES)


def refuse_unpublished(feed: Feed, source: str) -> None:
    """Stop unless every link is https on a public host: a publish build's."""
    for entry in feed.entries:
        if not public_https(entry.link):
            raise DigestError(
                f"{source}: the essays' links are not on a published site "
                f"({entry.link}); run `make publish SITEURL=https://your.site` "
                "first and send the digest from that feed"
            )
