"""Text helpers: one-line header values, HTML to plain text."""

from __future__ import annotations

import re
import textwrap

import lxml.html

# Every character a mail header parser (or a careless one) could take as the
# end of a line, plus the other C0/C1 controls.
_LINE_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"\s+")

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd"}


def one_line(value: str) -> str:
    """`value` safe for a header: controls and line breaks become one space."""
    return _SPACES.sub(" ", _LINE_BREAKS_AND_CONTROLS.sub(" ", value)).strip()


def html_to_text(html: str, width: int = 72) -> str:
    """Paragraphs of plain text, wrapped, list items marked with a dash."""
    if not html.strip():
        return ""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    paragraphs: list[tuple[str, str]] = []  # (tag, wrapped text)
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag not in _BLOCKS:
            continue
        # A block inside another block (a <p> inside an <li>) is the outer's.
        if any(a.tag in _BLOCKS for a in element.iterancestors()):
            continue
        words = _SPACES.sub(" ", element.text_content()).strip()
        if not words:
            continue
        if element.tag == "li":
            wrapped = textwrap.fill(
                words, width, initial_indent="- ", subsequent_indent="  "
            )
        else:
            wrapped = textwrap.fill(words, width)
        paragraphs.append((element.tag, wrapped))
    if not paragraphs:
        return textwrap.fill(_SPACES.sub(" ", tree.text_content()).strip(), width)
    text = paragraphs[0][1]
    for (previous, _), (tag, wrapped) in zip(paragraphs, paragraphs[1:], strict=False):
        # The items of one list stay together; everything else is a paragraph.
        text += ("\n" if previous == tag == "li" else "\n\n") + wrapped
    return text
