"""The devserver's notice of a failed build: the stylesheet Chromium reads."""

from __future__ import annotations

from authoring.build_problems import HEADING, stylesheet

# Chromium gives a computed `content` back as a CSS string: unescaped here
# by CSS's own rules (a hex escape and one optional space, or the character).
UNESCAPE = r"""
s => s.slice(1, -1)
  .replace(/\\([0-9a-fA-F]{1,6}) ?|\\(.)/gs,
           (_, hex, char) => hex ? String.fromCodePoint(parseInt(hex, 16)) : char)
"""


def shown(page, css: str) -> str:
    page.set_content(f"<html><head><style>{css}</style></head><body></body></html>")
    content = page.evaluate("getComputedStyle(document.body, '::before').content")
    return page.evaluate(UNESCAPE, content)


def test_error_lines_are_shown_as_written_quotes_backslashes_and_all(page):
    lines = [
        "content/essays/a \"quoted\" name.md:2: error: Date 'x' is not a real date",
        "content\\essays\\b.md:3: error: a tab\there, and an é",
    ]
    assert shown(page, stylesheet(lines)) == "\n".join([HEADING, *lines])


def test_after_a_good_build_there_is_no_notice(page):
    page.set_content(f"<style>{stylesheet([])}</style>")
    assert page.evaluate("getComputedStyle(document.body, '::before').content") == (
        "none"
    )
