"""Read the checklists back out of an essay's rendered HTML.

The HTML, not the Markdown run, is the source of truth here: Pelican's content
cache skips the Markdown run on unchanged essays, but the HTML it keeps still
holds every id and class the extension wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .mdext import INLINE_CLASS, ITEM_CLASS, LIST_CLASS, REF_CLASS, TITLE_ATTRIBUTE
from .titles import list_title, sentence_before

# Inline formatting a quick-reference item keeps; anything else is shown as text.
_KEPT_TAGS = {
    "em",
    "strong",
    "b",
    "i",
    "code",
    "kbd",
    "a",
    "sub",
    "sup",
    "s",
    "del",
    "ins",
    "mark",
    "abbr",
    "small",
    "br",
    "q",
    "cite",
    "dfn",
    "var",
    "samp",
}
_KEPT_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
_SAFE_SCHEMES = {"", "http", "https", "mailto"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Shown by their text, never as markup; these show nothing at all.
_DROPPED_TAGS = {"script", "style", "template", "input", "iframe", "object", "svg"}
# A base no real link uses: links resolved against it are site-root relative.
SITE_ROOT = "https://site-root.invalid/"


@dataclass
class Item:
    id: str
    text: str
    html: str
    depth: int
    checked: bool = False  # a GitHub task-list item written `[x]`


@dataclass
class Checklist:
    id: str
    title: str
    form: str  # "list" or "inline"
    ordered: bool
    items: list[Item] = field(default_factory=list)
    kept_because: str = ""  # why the build took it for a checklist


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def extract(html: str, essay_title: str, essay_path: str) -> list[Checklist]:
    """Every checklist in an essay's HTML, in document order.

    `essay_path` is the essay's URL relative to the site root: relative links
    inside items are rebased onto it, so they work from any page.
    """
    if LIST_CLASS not in html:
        return []
    root = _fragment(html)
    found = []
    for element in root.iter("ul", "ol", "span"):
        classes = _classes(element)
        if element.tag in ("ul", "ol") and LIST_CLASS in classes and element.get("id"):
            found.append((_from_list(element, essay_title, essay_path), element))
        elif element.tag == "span" and INLINE_CLASS in classes and element.get("id"):
            found.append((_from_inline(element, essay_title, essay_path), element))
    found = [(checklist, element) for checklist, element in found if checklist.items]
    _tell_apart(found)
    return [checklist for checklist, _ in found]


def _tell_apart(found) -> None:
    """Titles said twice in one essay ("Responsibilities" under each tier)
    get the nearest heading above that tells them apart: "Responsibilities —
    Tier 2". A title the author gave (title="…") is left as written."""
    by_title: dict[str, list] = {}
    for checklist, element in found:
        if not element.get(TITLE_ATTRIBUTE):
            by_title.setdefault(checklist.title.casefold(), []).append(
                (checklist, element)
            )
    for title, group in by_title.items():
        if len(group) < 2:
            continue
        chains = [
            [h for h in _heading_chain(element) if h.casefold() != title]
            for _, element in group
        ]
        for (checklist, _), chain in zip(group, chains, strict=True):
            # The nearest heading that not every one of them is under.
            for heading in chain:
                if not all(heading in other for other in chains):
                    checklist.title = f"{checklist.title} — {heading}"
                    break


# lxml.html's parser calls back into Python for every element it makes (to
# give it an HtmlElement class); nothing here needs those classes, and the
# plain parser builds the same tree about twice as fast.
_PARSER = etree.HTMLParser()


def _fragment(html: str):
    """The essay's HTML as one element: lxml.html.fragment_fromstring's tree."""
    document = etree.fromstring(f"<html><body>{html}</body></html>", _PARSER)
    body = document.find("body")
    if body is None:
        return etree.Element("div")
    # fragment_fromstring drops leading text that is only white space.
    if body.text is not None and not body.text.strip():
        body.text = None
    return body


def _from_list(element, essay_title: str, essay_path: str) -> Checklist:
    items = []
    nested = element.find(".//ul") is not None or element.find(".//ol") is not None
    outer_depth = sum(1 for a in element.iterancestors() if a.tag == "li")
    for li in element.iter("li"):
        item_id = li.get("id")
        if not item_id:
            continue
        depth = 0
        if nested:
            depth = sum(1 for a in li.iterancestors() if a.tag == "li") - outer_depth
        html, text = render_inline(li, essay_path, skip_lists=True)
        # The item's own box: first in it, or first in its first paragraph.
        boxes = [c for c in li if c.tag == "input"] + [
            c for p in li if p.tag == "p" for c in p if c.tag == "input"
        ]
        checked = bool(boxes) and boxes[0].get("checked") is not None
        items.append(Item(item_id, text, html, depth, checked))
    title = element.get(TITLE_ATTRIBUTE) or _title_of_block(element) or essay_title
    return Checklist(element.get("id"), title, "list", element.tag == "ol", items)


def _from_inline(element, essay_title: str, essay_path: str) -> Checklist:
    items = []
    for span in element.iter("span"):
        if ITEM_CLASS in _classes(span) and span.get("id"):
            html, text = render_inline(span, essay_path)
            items.append(Item(span.get("id"), text, html, 0))
    title = element.get(TITLE_ATTRIBUTE) or _lead_in_of_inline(element) or essay_title
    return Checklist(element.get("id"), title, "inline", False, items)


def render_inline(
    element, essay_path: str, skip_lists: bool = False
) -> tuple[str, str]:
    """(html, text) of an element's content: inline formatting kept, rest as text."""
    if not len(element):  # plain text, the usual item
        text = " ".join((element.text or "").split())
        return escape(text, quote=False), text
    html_parts: list[str] = [escape(element.text or "", quote=False)]
    text_parts: list[str] = [element.text or ""]
    for child in element:
        nested_list = skip_lists and child.tag in ("ul", "ol")
        if (
            nested_list
            or not isinstance(child.tag, str)
            or child.tag in _DROPPED_TAGS
            or _is_footnote_link(child)
        ):
            pass
        elif child.tag in _KEPT_TAGS:
            inner_html, inner_text = render_inline(child, essay_path)
            html_parts.append(
                _open_tag(child, essay_path)
                + inner_html
                + (f"</{child.tag}>" if child.tag != "br" else "")
            )
            text_parts.append(inner_text if child.tag != "br" else " ")
        elif child.tag == "span" or (child.tag == "p" and skip_lists):
            # Markdown's own wrappers (paragraphs of a loose list, item spans).
            inner_html, inner_text = render_inline(child, essay_path)
            html_parts.append(inner_html + " ")
            text_parts.append(inner_text + " ")
        else:
            # Unknown HTML (<u>, <font>, a <div> in an item): its text only.
            inner_html, inner_text = render_inline(child, essay_path)
            html_parts.append(inner_html)
            text_parts.append(inner_text)
        html_parts.append(escape(child.tail or "", quote=False))
        text_parts.append(child.tail or "")
    html = re.sub(r"\s+", " ", "".join(html_parts)).strip()
    text = " ".join("".join(text_parts).split())
    return html, text


def _open_tag(element, essay_path: str) -> str:
    if element.tag == "br":
        return "<br>"
    attributes = []
    for name in sorted(_KEPT_ATTRIBUTES.get(element.tag, ())):
        value = element.get(name)
        if value is None:
            continue
        if name == "href":
            value = rebase_href(value, essay_path)
            if value is None:
                continue
        attributes.append(f' {name}="{escape(value)}"')
    return f"<{element.tag}{''.join(attributes)}>"


def rebase_href(href: str, essay_path: str) -> str | None:
    """A link in an essay, made relative to the site root (None when unsafe)."""
    href = href.strip()
    if href.startswith(SITE_ROOT):
        return href.removeprefix(SITE_ROOT)
    parts = urlsplit(href)
    if parts.scheme.lower() not in _SAFE_SCHEMES:
        return None
    if parts.scheme or parts.netloc or href.startswith("/"):
        return href
    resolved = urljoin(SITE_ROOT + essay_path, href)
    return resolved.removeprefix(SITE_ROOT) if resolved.startswith(SITE_ROOT) else href


def prefix_links(html: str, prefix: str) -> str:
    """Item HTML for a page elsewhere: site-root relative links get `prefix`."""

    def rewrite(match: re.Match) -> str:
        href = match.group(1)
        if urlsplit(href).scheme or href.startswith(("/", "#")):
            return match.group(0)
        return f'href="{prefix}{href}"'

    return re.sub(r'href="([^"]*)"', rewrite, html)


def _text(element) -> str:
    """An element's words, without footnote numbers."""
    if element.find(".//sup") is None and element.find(".//a") is None:
        return " ".join("".join(element.itertext()).split())
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and not _is_footnote_link(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _is_footnote_link(element) -> bool:
    """A footnote's number in the text, or its ↩ back-link."""
    classes = _classes(element)
    if "footnote-ref" in classes or "footnote-backref" in classes:
        return True
    return element.tag == "sup" and any(
        "footnote-ref" in _classes(a) for a in element.iter("a")
    )


def _previous(element):
    previous = element.getprevious()
    while previous is not None and REF_CLASS in _classes(previous):
        previous = previous.getprevious()
    return previous


def _nearest_heading(element) -> str:
    node = element
    while node is not None:
        sibling = node.getprevious()
        while sibling is not None:
            if sibling.tag in _HEADINGS:
                return _text(sibling)
            sibling = sibling.getprevious()
        node = node.getparent()
    return ""


def _heading_chain(element) -> list[str]:
    """The headings the element is under, nearest first: the nearest one,
    then the nearest above it of a higher level, and so on."""
    chain: list[str] = []
    level = 7
    node = element
    while node is not None and level > 1:
        sibling = node.getprevious()
        while sibling is not None and level > 1:
            if sibling.tag in _HEADINGS and int(sibling.tag[1]) < level:
                level = int(sibling.tag[1])
                chain.append(_text(sibling))
            sibling = sibling.getprevious()
        node = node.getparent()
    return chain


def _title_of_block(element) -> str:
    """The lead-in when it introduces the list, else the nearest heading."""
    previous = _previous(element)
    lead_in = ""
    if previous is not None and previous.tag == "p":
        lead_in = _introducing_lines(previous)
    return list_title(lead_in, _nearest_heading(element))


_LABEL_TAGS = {"strong", "b", "em", "i"}


def _introducing_lines(paragraph) -> str:
    """The paragraph's words from the line that introduces the list: a label
    line above it ("**Before the call**", "Step two:") is not part of the
    sentence ("Ask about:"), though Markdown puts both in one paragraph."""
    text = _text(paragraph)
    if "\n" not in "".join(paragraph.itertext()):
        return text
    lines = [" ".join(line.split()) for line in _text_lines(paragraph)]
    lines = [line for line in lines if line]
    labels = {
        _text(child)
        for child in paragraph
        if child.tag in _LABEL_TAGS and (child.tail or "\n")[:1] in "\n"
    }
    start = 0
    for number, line in enumerate(lines[:-1]):
        if line in labels or line.endswith((":", "：")):
            start = number + 1
    return " ".join(lines[start:])


def _text_lines(element) -> list[str]:
    """_text() line by line, a line break (`<br>`) a new line."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str) and not _is_footnote_link(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts).split("\n")


def _lead_in_of_inline(element) -> str:
    """The words before a prose list in its sentence: "Some basic needs include"."""
    paragraph = element.getparent()
    before = [paragraph.text or ""] if paragraph is not None else []
    if paragraph is not None:
        for child in paragraph:
            if child is element:
                break
            before.append("".join(child.itertext()) + (child.tail or ""))
    return sentence_before(" ".join("".join(before).split()))
