"""Read a content file's metadata header with line numbers.

The header is the block of `Key: value` lines Python-Markdown's `meta`
extension reads for Pelican. The rules below are that extension's own (its
regular expressions, imported from it), so what this module sees is what the
build sees; Markdown itself keeps no line numbers, which an author's error
message needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

# The meta extension's own patterns (public names of markdown.extensions.meta).
from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE


class NotUtf8(ValueError):
    """The file's bytes are not UTF-8; `line` is where the first bad byte is."""

    def __init__(self, line: int, detail: str):
        super().__init__(detail)
        self.line = line
        self.detail = detail


def decode(data: bytes) -> str:
    """The file's text, read the way Pelican reads it (UTF-8, a BOM allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        raise NotUtf8(line, f"byte 0x{byte} at line {line}") from None


@dataclass
class Field:
    key: str  # as written, e.g. "Series_index"
    value: str  # continuation lines (indented 4 spaces) joined with spaces
    line: int

    @property
    def name(self) -> str:
        return self.key.lower()


@dataclass
class Header:
    fields: list[Field] = field(default_factory=list)
    # The first line of the body, 1-based.
    body_line: int = 1
    # A line that ended the header without a blank line before it: Markdown
    # reads it as text (or worse, the next `Word: ...` line as metadata).
    unseparated_line: int | None = None
    _by_name: dict[str, list[Field]] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=0, repr=False)

    def all(self, name: str) -> list[Field]:
        # Indexed by name once read (the build checks every essay on every
        # build: a thousand essays, some twenty look-ups each).
        if self._indexed != len(self.fields):
            self._by_name = {}
            for found in self.fields:
                self._by_name.setdefault(found.name, []).append(found)
            self._indexed = len(self.fields)
        return self._by_name.get(name.lower(), [])

    def get(self, name: str) -> Field | None:
        found = self.all(name)
        return found[0] if found else None

    def value(self, name: str) -> str | None:
        found = self.get(name)
        return found.value if found else None


def parse_header(text: str) -> Header:
    lines = text.splitlines()
    header = Header()
    index = 0
    if lines and BEGIN_RE.match(lines[0]):
        index = 1
    last: Field | None = None
    while index < len(lines):
        line = lines[index]
        number = index + 1
        if line.strip() == "" or END_RE.match(line):
            header.body_line = number + 1
            return header
        match = META_RE.match(line)
        if match:
            last = Field(match["key"], match["value"].strip(), number)
            header.fields.append(last)
        else:
            more = META_MORE_RE.match(line)
            if more and last is not None:
                # A continuation line: Markdown adds it to the same field.
                last.value = f"{last.value} {more['value'].strip()}".strip()
            else:
                header.body_line = number
                if header.fields:
                    header.unseparated_line = number
                return header
        index += 1
    header.body_line = len(lines) + 1
    return header


@dataclass
class ContentFile:
    """One essay or page: its path, text and header."""

    path: Path
    kind: str  # "essay" or "page"
    text: str
    header: Header

    @cached_property
    def resolved(self) -> Path:
        """The absolute path, symbolic links resolved: the file's key."""
        return self.path.resolve()

    @property
    def is_draft(self) -> bool:
        return (self.header.value("status") or "").strip().lower() == "draft"

    @property
    def body(self) -> str:
        return "\n".join(self.text.splitlines()[self.header.body_line - 1 :])


def read_content_file(path: Path, kind: str) -> ContentFile:
    """Raises NotUtf8 when the file is not UTF-8."""
    text = decode(path.read_bytes())
    return ContentFile(path, kind, text, parse_header(text))


def line_at(text: str, offset: int) -> int:
    """The 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
