"""The checklist markup in a Markdown source, read line by line.

One parser serves the build (plugins/features/checklists/mdext.py rewrites what it
finds) and the authors' `make check` (`find_problems`), so both agree on what
is valid and on line numbers (1-based lines of the file, metadata included).

Two forms, both invisible in the rendered essay:

* after a list, on the line below its last item (or after one blank line)::

      - Don't promise what you can't deliver.
      - Make me the center of your attention.
      {: .checklist title="Make it happen" #make-it-happen }

  `{: .no-checklist }` there keeps a list out of the checklists.

* around a list written in prose, inside its paragraph::

      Some simple basic needs include; [personal recognition, patience,
      and being understanding]{: .checklist title="Basic needs" }.

  Its items are split at top-level commas and at the final "and".
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"
# What the author may want to know, not a mistake: never stops `make publish`.
NOTE = "note"

# A line that is only an attribute list, perhaps inside a block quote.
_BLOCK_MARKER = re.compile(
    r"^(?P<prefix>(?:[ ]{0,3}>[ ]?)*)[ ]{0,3}\{:(?P<body>[^}\n]*)\}[ ]*$"
)
# [prose list]{: options } ; one level of nested brackets, for links.
_INLINE_MARKER = re.compile(
    r"\[(?P<span>(?:[^\[\]\n]|\n(?![ \t]*\n)|\[[^\[\]]*\])+?)\]\{:(?P<body>[^}\n]*)\}"
)
_FENCE = re.compile(r"^(?:[ ]{0,3}>[ ]?)*[ ]{0,3}(?P<fence>`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ ]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE_PREFIX = re.compile(r"^(?:[ ]{0,3}>[ ]?)*")
# An HTML comment; an unclosed one runs to the end, as in a browser.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_OPTION = re.compile(
    r"""\s*(?:
        \.(?P<cls>[A-Za-z][\w-]*)
      | \#(?P<id>[^\s"'}]+)
      | (?P<key>[A-Za-z][\w-]*)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'}]+))
      | (?P<junk>\S+)
    )""",
    re.VERBOSE,
)
_VALID_ID = re.compile(r"^[A-Za-z][\w-]*$")
MARK_CLASSES = {"checklist", "no-checklist"}
KNOWN_KEYS = {"title"}


@dataclass
class Options:
    """What one marker asks for."""

    exclude: bool = False
    title: str = ""
    explicit_id: str = ""


@dataclass
class BlockMarker:
    line: int  # 1-based
    prefix: str  # the block-quote prefix of the marker line, e.g. "> "
    options: Options
    follows_list: bool


@dataclass
class InlineMarker:
    line: int
    start: int  # offsets of the whole `[...]{: ...}` in the text
    end: int
    span: str
    options: Options
    items: list[tuple[int, int]]  # item offsets inside `span`


@dataclass
class Markup:
    blocks: list[BlockMarker] = field(default_factory=list)
    inlines: list[InlineMarker] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)


_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NOT_ASCII = re.compile(r"[\x00-\x7f]+")


def slugify(text: str, max_words: int = 6) -> str:
    """ASCII slug of the first words: "Don’t promise…" -> "dont-promise"."""
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’`]", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    return "-".join(words[:max_words])


def stable_slug(text: str, max_words: int = 6) -> str:
    """slugify(), or for words mostly not in Latin letters (Arabic, Hebrew,
    Chinese…) "h" and a short hash of them: stable, and unique enough."""
    slug = slugify(text, max_words)
    # ASCII letters are Latin: only the others are looked at one by one.
    letters = latin = len(_ASCII_LETTERS.findall(text))
    for c in _NOT_ASCII.sub("", text):
        if c.isalpha():
            letters += 1
            latin += unicodedata.normalize("NFKD", c)[0].isascii()
    if slug and latin * 2 >= letters:
        return slug
    words = " ".join(unicodedata.normalize("NFC", text).split()[:max_words])
    if not words:
        return ""
    return "h" + hashlib.sha1(words.encode("utf-8")).hexdigest()[:8]


def is_mark(body: str) -> bool:
    """Whether an attribute list is ours (it names .checklist or .no-checklist)."""
    return bool(re.search(r"(?:^|\s)\.(?:no-)?checklist(?=\s|$)", body))


def misspelt_mark(body: str) -> str:
    """What makes an attribute list that is not ours look like a checklist
    marker ("a class .checklst", "title="), or "" when nothing does."""
    for match in _OPTION.finditer(body):
        cls = match.group("cls")
        if cls and difflib.get_close_matches(cls.lower(), MARK_CLASSES, 1, 0.7):
            return f"the class .{cls}"
        if match.group("key") == "title":
            return "title="
    return ""


def _typo_problem(body: str) -> tuple[str, str] | None:
    reason = misspelt_mark(body)
    if not reason:
        return None
    return (
        WARNING,
        f"{{:{body}}} looks like a checklist marker but is not one ({reason}): "
        "write .checklist or .no-checklist",
    )


def parse_options(body: str) -> tuple[Options, list[tuple[str, str]]]:
    """Options of `{: ... }` and the problems found in it."""
    options = Options()
    problems: list[tuple[str, str]] = []
    classes: set[str] = set()
    for match in _OPTION.finditer(body):
        if match.group("cls"):
            cls = match.group("cls")
            if cls in MARK_CLASSES:
                classes.add(cls)
            else:
                problems.append(
                    (
                        WARNING,
                        f"unknown class .{cls} (known: .checklist, .no-checklist)",
                    )
                )
        elif match.group("id"):
            value = match.group("id")
            if not _VALID_ID.match(value):
                problems.append(
                    (
                        ERROR,
                        f"bad id #{value}: use letters, digits, - and _, "
                        "starting with a letter",
                    )
                )
            else:
                options.explicit_id = value
        elif match.group("key"):
            key = match.group("key")
            value = next(v for v in match.group("dq", "sq", "bare") if v is not None)
            if key not in KNOWN_KEYS:
                problems.append((WARNING, f"unknown option {key}= (known: title=)"))
            elif not value.strip():
                problems.append((WARNING, "empty title="))
            else:
                options.title = value.strip()
        elif match.group("junk"):
            problems.append(
                (
                    WARNING,
                    f"cannot read {match.group('junk')!r} in the checklist marker",
                )
            )
    if classes == MARK_CLASSES:
        problems.append((ERROR, "a marker cannot be both .checklist and .no-checklist"))
    options.exclude = classes == {"no-checklist"}
    if options.exclude and (options.title or options.explicit_id):
        problems.append((WARNING, ".no-checklist takes no title or id"))
    return options, problems


def _strip_quote(line: str) -> str:
    return line[_QUOTE_PREFIX.match(line).end() :]


def _follows_list(lines: list[str], index: int) -> bool:
    """Whether the marker at lines[index] sits under a list, as Markdown sees it."""
    k = index - 1
    while k >= 0 and not _strip_quote(lines[k]).strip():
        k -= 1
    in_unindented_text = False
    while k >= 0:
        body = _strip_quote(lines[k])
        if _LIST_ITEM.match(body):
            return True
        if not body.strip():
            if in_unindented_text:
                return False
        elif body[0] in " \t":
            in_unindented_text = False  # a continuation line of an item
        else:
            if body.lstrip().startswith(("#", "{:")) or set(body.strip()) <= set(
                "-=*_ "
            ):
                return False  # a heading, another marker or a rule
            in_unindented_text = True  # a paragraph line, or an item's lazy line
        k -= 1
    return False


def split_items(span: str) -> list[tuple[int, int]]:
    """(start, end) of each item of a prose list: commas, then the final "and"."""
    pieces: list[tuple[int, int]] = []
    depth, start, in_code = 0, 0, False
    for i, char in enumerate(span):
        if char == "`":
            in_code = not in_code
        elif in_code:
            continue
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, len(span)))
    # The final "and": ", and being understanding" or "b and c".
    last_start, last_end = pieces[-1]
    last = span[last_start:last_end]
    conjunction = re.match(r"\s*and\s+", last)
    if conjunction and len(pieces) > 1:
        pieces[-1] = (last_start + conjunction.end(), last_end)
    elif len(pieces) > 1:
        inner = list(re.finditer(r"\s+and\s+", last))
        if inner:
            cut = inner[-1]
            pieces[-1:] = [
                (last_start, last_start + cut.start()),
                (last_start + cut.end(), last_end),
            ]
    trimmed = []
    for start, end in pieces:
        text = span[start:end]
        left = len(text) - len(text.lstrip())
        right = len(text.rstrip())
        trimmed.append((start + left, start + right))
    return [(s, e) for s, e in trimmed if e > s]


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside fenced code blocks (fences included)."""
    inside: set[int] = set()
    fence = ""
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            inside.add(index)
            if (
                match
                and match.group("fence")[0] == fence[0]
                and len(match.group("fence")) >= len(fence)
            ):
                fence = ""
        elif match:
            fence = match.group("fence")
            inside.add(index)
    return inside


def _blank_comments(text: str, fenced: set[int]) -> str:
    """`text` with every HTML comment outside code fences blanked to spaces.

    Markdown passes a comment through untouched, so a marker inside one (the
    commented example `make newpost` writes) is no marker. Newlines stay, and
    so every offset and line number stays that of the file.
    """

    def blank(match: re.Match) -> str:
        if text.count("\n", 0, match.start()) in fenced:
            return match.group()
        return re.sub(r"[^\n]", " ", match.group())

    return _COMMENT.sub(blank, text)


def parse(text: str) -> Markup:
    """Every checklist marker in a Markdown source, with its problems."""
    markup = Markup()
    if "{:" not in text:
        return markup
    lines = text.split("\n")
    # Fences are rare: skip the line-by-line scan when there are none.
    fenced = _fenced_lines(lines) if ("```" in text or "~~~" in text) else set()
    original = text
    if "<!--" in text:
        text = _blank_comments(text, fenced)
        lines = text.split("\n")
    # Only the lines holding "{:" can be markers: found by str.find, not by
    # trying the line pattern at every line of the essay.
    for index, match in _block_marker_lines(text, lines):
        if index in fenced:
            continue
        if not is_mark(match.group("body")):
            typo = _typo_problem(match.group("body"))
            if typo and _follows_list(lines, index):
                markup.problems.append((index + 1, *typo))
            continue
        options, problems = parse_options(match.group("body"))
        number = index + 1
        markup.problems += [
            (number, severity, message) for severity, message in problems
        ]
        follows = _follows_list(lines, index)
        if not follows:
            markup.problems.append(
                (
                    number,
                    WARNING,
                    "checklist marker with no list above it: "
                    "a marked block needs items",
                )
            )
        markup.blocks.append(
            BlockMarker(number, match.group("prefix"), options, follows)
        )

    for match in _INLINE_MARKER.finditer(text):
        index = text.count("\n", 0, match.start())
        if index in fenced:
            continue
        if not is_mark(match.group("body")):
            typo = _typo_problem(match.group("body"))
            if typo:
                markup.problems.append((index + 1, *typo))
            continue
        number = index + 1
        options, problems = parse_options(match.group("body"))
        markup.problems += [
            (number, severity, message) for severity, message in problems
        ]
        if options.exclude:
            markup.problems.append(
                (
                    number,
                    WARNING,
                    ".no-checklist on a prose list has no effect: "
                    "just leave it unmarked",
                )
            )
        items = split_items(match.group("span"))
        if not options.exclude and len(items) < 2:
            markup.problems.append(
                (
                    number,
                    WARNING,
                    "the marked prose list does not split into items "
                    "(separate them with commas and a final 'and')",
                )
            )
        # The span as written: a comment inside it was blanked only for parsing.
        span = original[match.start("span") : match.end("span")]
        markup.inlines.append(
            InlineMarker(number, match.start(), match.end(), span, options, items)
        )
    markup.problems.sort()
    return markup


def _block_marker_lines(text: str, lines: list[str]):
    """(line index, match of _BLOCK_MARKER) of each line that is a marker."""
    position = text.find("{:")
    while position != -1:
        index = text.count("\n", 0, position)
        match = _BLOCK_MARKER.match(lines[index])
        if match:
            yield index, match
        end = text.find("\n", position)
        if end == -1:
            return
        position = text.find("{:", end)


def find_problems(text: str) -> list[tuple[int, str, str]]:
    """(line, "error" | "warning", message) for the checklist markup in `text`.

    `text` is a whole Markdown source, metadata included; lines count from 1.
    """
    return parse(text).problems
