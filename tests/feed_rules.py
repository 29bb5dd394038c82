"""Feed validation where the W3C feed validator cannot be installed (neither
PyPI nor Debian has it): Atom against RFC 4287, RSS against RSS 2.0.

Atom: the RELAX NG grammar in tests/data/atom.rng (written from RFC 4287's
sections 3 and 4) by lxml, then the rules a grammar cannot say. RSS: the
spec's required and allowed elements, guid and its isPermaLink, RFC 822
dates with the day of the week right. Both: what the W3C validator warns
about on feeds like ours (a blank author name, a missing rel="self" link,
duplicate ids, HTML in a title, relative or scripted links in the HTML).

problems(path) gives one line per finding, "error: ..." or "warning: ...",
each naming the file and line.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
SCHEMA = Path(__file__).parent / "data" / "atom.rng"

# RFC 4151: tag:authority,date:specific
TAG_URI = re.compile(
    r"tag:(?:[A-Za-z0-9.-]+|[^@\s]+@[A-Za-z0-9.-]+),\d{4}(?:-\d{2}(?:-\d{2})?)?:\S*"
)
# RFC 822 section 5 as RSS uses it, with RFC 1123's four-digit year.
RFC822_DATE = re.compile(
    r"(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|[ECMP][SD]T)"
)
RSS_CHANNEL = {
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "managingEditor",
    "webMaster",
    "pubDate",
    "lastBuildDate",
    "category",
    "generator",
    "docs",
    "cloud",
    "ttl",
    "image",
    "rating",
    "textInput",
    "skipHours",
    "skipDays",
    "item",
}
RSS_ITEM = {
    "title",
    "link",
    "description",
    "author",
    "category",
    "comments",
    "enclosure",
    "guid",
    "pubDate",
    "source",
}
RSS_ONCE = {"title", "link", "description", "pubDate", "lastBuildDate", "guid"}
UNSAFE_ELEMENTS = {"script", "iframe", "object", "embed", "style", "form", "frame"}


@cache
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def _absolute(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class Findings(list):
    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def error(self, element, message: str) -> None:
        self.append(f"error: {self.path}:{element.sourceline}: {message}")

    def warning(self, element, message: str) -> None:
        self.append(f"warning: {self.path}:{element.sourceline}: {message}")


def _check_html(found: Findings, element, markup: str) -> None:
    """Escaped HTML (Atom type="html", RSS description): links and safety."""
    if not markup.strip():
        return
    tree = lxml.html.fragment_fromstring(markup, create_parent="div")
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in UNSAFE_ELEMENTS:
            found.warning(element, f"the HTML holds <{node.tag}> (a security risk)")
        for name in node.attrib:
            if name.lower().startswith("on") or name == "style":
                found.warning(element, f"the HTML has a {name}= attribute")
        for name in ("href", "src"):
            value = node.get(name)
            local = value is None or value.startswith(("mailto:", "tel:"))
            if not local and not _absolute(value):
                found.warning(element, f"relative URL in the HTML: {value}")
        for candidate in (node.get("srcset") or "").split(","):
            if candidate.strip() and not _absolute(candidate.split()[0]):
                found.warning(element, f"relative URL in a srcset: {candidate}")


def _atom_date(text: str) -> datetime:
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


def _atom_links(found: Findings, parent) -> None:
    alternates = set()
    for link in parent.findall(f"{A}link"):
        href = link.get("href", "")
        if not _absolute(href):
            found.warning(link, f"link href is not an absolute URL: {href!r}")
        if link.get("rel", "alternate") == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                # RFC 4287 4.1.1 and 4.1.2
                found.error(link, "two alternate links with one type and hreflang")
            alternates.add(key)


def atom_problems(tree, path: Path) -> Findings:
    found = Findings(path)
    schema = atom_schema()
    if not schema.validate(tree):
        for entry in schema.error_log:
            found.append(f"error: {path}:{entry.line}: {entry.message}")
        return found
    feed = tree.getroot()
    entries = feed.findall(f"{A}entry")
    # RFC 4287 4.1.1: authors on the feed, or on every entry.
    if not feed.findall(f"{A}author") and not all(
        e.findall(f"{A}author") for e in entries
    ):
        found.error(feed, "no author on the feed and none on some entry")
    if not any(link.get("rel") == "self" for link in feed.findall(f"{A}link")):
        found.warning(feed, 'no atom:link rel="self" (the feed\'s own address)')
    _atom_links(found, feed)
    ids: dict[str, int] = {}
    for element in [feed, *entries]:
        for title in element.findall(f"{A}title"):
            if not (title.text or "").strip():
                found.error(title, "blank title")
            elif title.get("type", "text") == "text" and re.search(
                r"<[a-z/]", title.text
            ):
                found.warning(title, f"title looks like HTML: {title.text!r}")
        for name in element.iterfind(f"{A}author/{A}name"):
            if not (name.text or "").strip():
                found.warning(name, "author name should not be blank")
    for entry in entries:
        entry_id = entry.findtext(f"{A}id").strip()
        if entry_id.startswith("tag:") and not TAG_URI.fullmatch(entry_id):
            found.error(entry, f"not a tag URI (RFC 4151): {entry_id}")
        if entry_id in ids:
            found.warning(entry, f"the id of line {ids[entry_id]} again: {entry_id}")
        ids.setdefault(entry_id, entry.sourceline)
        content = entry.find(f"{A}content")
        links = entry.findall(f"{A}link")
        # RFC 4287 4.1.2: no content, then an alternate link; content by
        # reference or in a binary type, then a summary.
        if content is None and not any(
            link.get("rel", "alternate") == "alternate" for link in links
        ):
            found.error(entry, "no content and no alternate link")
        kind = "text" if content is None else content.get("type", "text")
        binary = kind not in ("text", "html", "xhtml") and not re.search(
            r"(\+xml|/xml|^text/)", kind
        )
        by_reference = content is not None and content.get("src") is not None
        if (by_reference or binary) and entry.find(f"{A}summary") is None:
            found.error(entry, "content by reference or binary: needs a summary")
        _atom_links(found, entry)
        published = entry.findtext(f"{A}published")
        updated = entry.findtext(f"{A}updated")
        if published and _atom_date(published) > _atom_date(updated):
            found.warning(entry, "updated is earlier than published")
        for part in (content, entry.find(f"{A}summary")):
            if part is not None and part.get("type") == "html":
                _check_html(found, part, part.text or "")
    return found


def _rss_date(found: Findings, element) -> None:
    text = (element.text or "").strip()
    match = RFC822_DATE.fullmatch(text)
    if not match:
        found.error(element, f"not an RFC 822 date: {text!r}")
        return
    parsed = parsedate_to_datetime(text)
    if match.group(1) and parsed.strftime("%a") != match.group(1):
        found.error(element, f"{text!r} is a {parsed:%A}")


def _rss_children(found: Findings, parent, allowed: set[str], where: str) -> None:
    seen: dict[str, int] = {}
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        if child.tag.startswith("{"):
            continue  # an extension (atom:link, dc:creator...)
        if child.tag not in allowed:
            found.error(child, f"<{child.tag}> is not an RSS 2.0 {where} element")
        seen[child.tag] = seen.get(child.tag, 0) + 1
        if child.tag in RSS_ONCE and seen[child.tag] == 2:
            found.error(child, f"a second <{child.tag}> in one {where}")


def rss_problems(tree, path: Path) -> Findings:
    found = Findings(path)
    rss = tree.getroot()
    if rss.tag != "rss" or rss.get("version") != "2.0":
        found.error(rss, 'the root is not <rss version="2.0">')
        return found
    channels = rss.findall("channel")
    if len(channels) != 1:
        found.error(rss, f"{len(channels)} <channel> elements, not one")
        return found
    (channel,) = channels
    _rss_children(found, channel, RSS_CHANNEL, "channel")
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            found.error(channel, f"the channel has no {name}")
    if not _absolute(channel.findtext("link") or ""):
        found.error(channel, "the channel's link is not an absolute URL")
    if not any(
        link.get("rel") == "self" and _absolute(link.get("href", ""))
        for link in channel.findall(f"{A}link")
    ):
        found.warning(channel, 'no atom:link rel="self" (the feed\'s own address)')
    for date in (*channel.findall("pubDate"), *channel.findall("lastBuildDate")):
        _rss_date(found, date)
    guids: dict[str, int] = {}
    for item in channel.findall("item"):
        _rss_children(found, item, RSS_ITEM, "item")
        if item.find("title") is None and item.find("description") is None:
            found.error(item, "an item needs a title or a description")
        title = item.findtext("title") or ""
        if re.search(r"<[a-z/]", title):
            found.warning(item, f"title looks like HTML: {title!r}")
        link = item.findtext("link")
        if link is not None and not _absolute(link):
            found.error(item, f"the item's link is not an absolute URL: {link!r}")
        guid = item.find("guid")
        if guid is None:
            found.warning(item, "an item should have a guid")
        else:
            value = (guid.text or "").strip()
            permalink = guid.get("isPermaLink", "true")
            if permalink not in ("true", "false"):
                found.error(guid, f"isPermaLink must be true or false: {permalink!r}")
            elif permalink == "true" and not _absolute(value):
                found.error(
                    guid, "guid must be a full URL, unless isPermaLink is false"
                )
            if value in guids:
                found.warning(guid, f"the guid of line {guids[value]} again: {value}")
            guids.setdefault(value, guid.sourceline)
        for date in item.findall("pubDate"):
            _rss_date(found, date)
        author = item.findtext("author")
        if author is not None and "@" not in author:
            found.error(item, f"author must be an email address: {author!r}")
        for creator in item.findall("{http://purl.org/dc/elements/1.1/}creator"):
            if not (creator.text or "").strip():
                found.warning(creator, "dc:creator should not be blank")
        for category in item.findall("category"):
            if not (category.text or "").strip():
                found.error(category, "blank category")
        for enclosure in item.findall("enclosure"):
            if not _absolute(enclosure.get("url", "")):
                found.error(enclosure, "the enclosure's url is not an absolute URL")
            if not (enclosure.get("length") or "").isdigit():
                found.error(enclosure, "the enclosure needs a length in bytes")
            if "/" not in (enclosure.get("type") or ""):
                found.error(enclosure, "the enclosure needs a MIME type")
        description = item.find("description")
        if description is not None:
            _check_html(found, description, description.text or "")
    return found


def problems(path: Path) -> list[str]:
    """Every error and warning in one feed file, one line each."""
    try:
        tree = etree.parse(str(path))
    except etree.XMLSyntaxError as error:
        return [f"error: {path}:{error.lineno}: not well-formed XML: {error.msg}"]
    if tree.getroot().tag == f"{A}feed":
        return list(atom_problems(tree, path))
    return list(rss_problems(tree, path))
