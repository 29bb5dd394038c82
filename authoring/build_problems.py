"""The devserver's notice of a failed build, on every page it serves.

A stylesheet, not a script or an inline style, so that a strict
Content-Security-Policy (style-src 'self') allows it: every page links
/devserver-problems.css, which is empty after a good build and, after a
failed one, puts the build's error lines at the top of the page (the site
below is the last good build). The next good build empties it, and the
reload that follows takes the notice away.
"""

from __future__ import annotations

from tornado import web

STYLESHEET_URL = "/devserver-problems.css"
STYLESHEET_LINK = f'<link rel="stylesheet" href="{STYLESHEET_URL}">'.encode()
HEADING = "The last build failed; this is the last good site. Fix this and save:"


def css_string(text: str) -> str:
    """`text` as a CSS string: quotes and backslashes escaped, a newline as \\A."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(
        f"\\{ord(char):x} " if ord(char) < 0x20 and char != "\n" else char
        for char in escaped
    )
    return '"' + escaped.replace("\n", "\\A ") + '"'


def stylesheet(lines: list[str]) -> str:
    if not lines:
        return "/* The last build succeeded. */\n"
    text = "\n".join([HEADING, *lines])
    return (
        "body::before {\n"
        f"  content: {css_string(text)};\n"
        "  display: block; position: sticky; top: 0; z-index: 2147483647;\n"
        "  white-space: pre-wrap; overflow-wrap: anywhere;\n"
        "  padding: 1rem 1.25rem; border-bottom: 4px solid #a40000;\n"
        "  background: #fff0f0; color: #5c0000;\n"
        "  font: 0.95rem/1.5 ui-monospace, SFMono-Regular, Menlo, monospace;\n"
        "}\n"
    )


class BuildProblems:
    """The error lines of the last build: none when it succeeded."""

    def __init__(self) -> None:
        self.lines: list[str] = []


class ProblemsStylesheet(web.RequestHandler):
    def initialize(self, problems: BuildProblems) -> None:
        self.problems = problems

    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(stylesheet(self.problems.lines))
