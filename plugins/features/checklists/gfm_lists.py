"""Lists as GitHub reads them, rewritten so that Python-Markdown reads them alike.

Python-Markdown is not CommonMark: it nests an item only when it is indented
by 4 spaces, starts a list only after a blank line, keeps a loose item's body
only when it is indented by 4, and knows no `1)` marker. Authors who write
for GitHub indent by 2 or 3 and start a list right under its paragraph, and
their lists come out flat, split or as paragraphs, silently.

markdown-it-py (a CommonMark reader, the one GitHub's rules follow) tells
where each list and item starts and ends; the source is then re-indented the
way Python-Markdown wants it (4 spaces a level), a blank line is put before a
list that interrupts a paragraph, and `1)` becomes `1.`. Only the lines of
lists change, and only their leading white space and markers: never a word.

`normalize` also returns, for each output line, the source line it came from,
and each top-level list's shape (for the check that Python-Markdown, after
all, read what GitHub reads) with its line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

# Block structure only: the inline rules are what costs, and nothing here
# looks inside a paragraph.
_PARSER = MarkdownIt("commonmark").disable(["inline", "text_join"])
_QUOTE_MARK = re.compile(r"[ ]{0,3}>[ ]?")
_MARKER = re.compile(r"(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]*)")
# A line that may start a list item, quoted or not: cheap test before parsing.
_ANY_ITEM = re.compile(
    r"^(?:[ ]{0,3}>[ ]?)*[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", re.M
)


@dataclass
class ListShape:
    """A top-level list as CommonMark reads it: where, what kind, how deep."""

    line: int  # 1-based line of the source
    ordered: bool
    depths: list[int] = field(default_factory=list)  # one per item, 0 = top


@dataclass
class _Item:
    start: int  # 0-based first line
    end: int  # one past the last line
    depth: int  # enclosing items, 0 for a top-level list's items
    quotes: int  # enclosing block quotes
    marker_indent: int  # columns before the marker, quote prefix removed
    content_column: int  # where the item's text starts (CommonMark's rule)


@dataclass
class Normalized:
    lines: list[str]
    origin: list[int]  # for each output line, the 0-based source line
    shapes: list[ListShape]


def _split_quote(line: str, quotes: int) -> tuple[str, str]:
    """(the quote prefix, the rest) of a line inside `quotes` block quotes."""
    position = 0
    for _ in range(quotes):
        match = _QUOTE_MARK.match(line, position)
        if not match:
            break
        position = match.end()
    return line[:position], line[position:].expandtabs(4)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def normalize(lines: list[str], breaks: frozenset[int] = frozenset()) -> Normalized:
    """`lines` with every list written the way Python-Markdown reads GitHub's.

    Lines in `breaks` (the checklist markers' placeholders) end any list they
    follow, as their blank line will.
    """
    identity = Normalized(list(lines), list(range(len(lines))), [])
    source = "\n".join(lines)
    if not _ANY_ITEM.search(source):
        return identity
    parsed = _without_breaks(lines, breaks)
    shapes = flat_list_shapes(parsed)
    if shapes is not None:
        return Normalized(identity.lines, identity.origin, shapes)
    return _normalize_parsed(lines, parsed, breaks)


def _without_breaks(lines: list[str], breaks: frozenset[int]) -> list[str]:
    """What the parser reads: a marker's line blank (its quote prefix kept)."""
    return [
        _split_quote(line, 99)[0] if index in breaks else line
        for index, line in enumerate(lines)
    ]


def normalize_by_parsing(
    lines: list[str], breaks: frozenset[int] = frozenset()
) -> Normalized:
    """normalize() without its shortcut: the parse, whatever the text."""
    parsed = _without_breaks(lines, breaks)
    return _normalize_parsed(lines, parsed, breaks)


def _normalize_parsed(
    lines: list[str], parsed: list[str], breaks: frozenset[int]
) -> Normalized:
    items, shapes, interrupting = _read(_PARSER.parse("\n".join(parsed)), lines)
    if not items:
        return Normalized(list(lines), list(range(len(lines))), shapes)
    # The innermost item holding each line: items come outermost first.
    owner: dict[int, _Item] = {}
    for item in items:
        for index in range(item.start, min(item.end, len(lines))):
            if index not in breaks:
                owner[index] = item
    out: list[str] = []
    origin: list[int] = []
    for index, line in enumerate(lines):
        item = owner.get(index)
        if index in interrupting:
            prefix, _ = _split_quote(line, interrupting[index])
            out.append(prefix.rstrip())
            origin.append(index)
        if item is not None and not _lazy_top_level(lines, index, item):
            line = _reindent(line, index, item)
        out.append(line)
        origin.append(index)
    return Normalized(out, origin, shapes)


# The fast path (flat_list_shapes): an item at the margin, one space after
# its marker, words after that; and what else may start a block there.
_FLAT_ITEM = re.compile(r"(?P<marker>[-*+]|\d{1,9}\.) (?=[^ \t])")
_BLOCK_START = frozenset("-*+_#>=<`~")
_MARKER_AT = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def flat_list_shapes(lines: list[str]) -> list[ListShape] | None:
    """The lists' shapes, without parsing, when the text is simple enough
    that normalize() would change no line; None when it is not (then parse).

    Simple: every line blank or starting at the margin, so no list nests
    and no item has an indented body; no fenced code or HTML block (which
    may hold what looks like a list, blank lines and all); every item at
    the margin with words after its marker; a blank line above each list
    (and above each item of a list with blank lines between its items); a
    line right under an item's text that could start a block (a heading, a
    rule, a quote ...) is not guessed at. What is left, CommonMark reads
    one way: an item runs on over its lazy lines to the next item or blank
    line, and a list ends at a line after a blank line that is no item of
    its kind. tests/test_checklists_fast_path.py checks every shape against
    the parse.
    """
    shapes: list[ListShape] = []
    kind = ""  # the open list's marker ("-", "*", "+" or "." for numbers)
    shape: ListShape | None = None
    blank_above = True
    blank_inside = tight_item = False  # a blank line between items; an item under text
    for index, line in enumerate(lines):
        if not line.strip(" \t"):
            blank_above = True
            continue
        first = line[0]
        if first.isspace() or first in "`~<" or "```" in line or "~~~" in line:
            return None
        match = _FLAT_ITEM.match(line)
        if match is None and _ANY_ITEM.match(line):
            return None  # an item not at the margin, or an empty one
        if match is not None:
            marker = match.group("marker")
            if line[match.end()] in _BLOCK_START or _MARKER_AT.match(line, match.end()):
                return None  # an item that holds a block or a list at once
            this_kind = marker if marker in "-*+" else "."
            if shape is not None and this_kind == kind:
                shape.depths.append(0)
                blank_inside |= blank_above
                tight_item |= not blank_above
                if blank_inside and tight_item:
                    return None  # normalize() would put a blank line in
            else:
                if not blank_above:
                    return None  # a list right under text: normalize() moves it
                kind, shape = this_kind, ListShape(index + 1, this_kind == ".", [0])
                shapes.append(shape)
                blank_inside = tight_item = False
        elif shape is not None:
            if blank_above:
                shape = None  # the list is over
            elif first in _BLOCK_START or first.isdigit():
                return None  # a heading, rule, quote ... or lazy text? Parse.
        blank_above = False
    return shapes


def _lazy_top_level(lines: list[str], index: int, item: _Item) -> bool:
    """A top-level item's paragraph going on under its first line: read the
    same by both, whatever its indent, so left exactly as written."""
    if item.depth or index == item.start:
        return False
    _, above = _split_quote(lines[index - 1], item.quotes)
    _, body = _split_quote(lines[index], item.quotes)
    return bool(above.strip()) and not _MARKER.match(body.lstrip())


def _reindent(line: str, index: int, item: _Item) -> str:
    prefix, body = _split_quote(line, item.quotes)
    if not body.strip():
        return line
    if index == item.start:
        body = body[item.marker_indent :]
        match = _MARKER.match(body)
        if match and match.group("marker").endswith(")"):
            # Python-Markdown knows only "1." for a numbered item.
            body = match.group("marker")[:-1] + "." + body[len(match.group("marker")) :]
        return prefix + " " * (4 * item.depth) + body
    indent = _indent(body)
    extra = max(0, indent - item.content_column)
    return prefix + " " * (4 * (item.depth + 1) + extra) + body[indent:]


def _read(tokens, lines: list[str]):
    """Items (outermost first), the top-level lists' shapes, and the lines
    before which a blank line must go (a list interrupting a paragraph)."""
    items: list[_Item] = []
    shapes: list[ListShape] = []
    interrupting: dict[int, int] = {}
    quotes = 0
    open_items: list[_Item] = []
    lists: list[bool] = []  # whether each open list is loose
    shape: ListShape | None = None
    for position, token in enumerate(tokens):
        kind = token.type
        if kind == "blockquote_open":
            quotes += 1
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            lists.append(_is_loose(tokens, position))
            if not open_items and token.map:
                shape = ListShape(token.map[0] + 1, ordered)
                shapes.append(shape)
                start = token.map[0]
                if start > 0:
                    _, above = _split_quote(lines[start - 1], quotes)
                    if above.strip():
                        interrupting[start] = quotes
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open" and token.map:
            start, end = token.map
            _, body = _split_quote(lines[start], quotes)
            marker_indent = _indent(body)
            match = _MARKER.match(body, marker_indent)
            content = marker_indent + 2
            if match:
                spaces = len(match.group("space"))
                after = len(match.group("marker")) + (spaces if 1 <= spaces <= 4 else 1)
                content = marker_indent + after
            if lists and lists[-1] and start > 0 and start not in interrupting:
                # Python-Markdown reads an item right under a loose item's
                # indented body as more of that body: a blank line between.
                _, above = _split_quote(lines[start - 1], quotes)
                if above.strip():
                    interrupting[start] = quotes
            item = _Item(start, end, len(open_items), quotes, marker_indent, content)
            items.append(item)
            open_items.append(item)
            if shape is not None:
                shape.depths.append(item.depth)
        elif kind == "list_item_close":
            open_items.pop()
    return items, shapes, interrupting


def _is_loose(tokens, position: int) -> bool:
    """Whether the list opened at tokens[position] is loose: markdown-it
    hides the paragraphs of a tight list's items."""
    level = tokens[position].level
    for token in tokens[position + 1 :]:
        if token.level <= level:
            return False
        if token.type == "paragraph_open" and token.level == level + 2:
            return not token.hidden
    return False
