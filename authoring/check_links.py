"""Checks of one file's links to other content and its images."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from authoring.header import ContentFile, line_at
from authoring.problems import display_path

if TYPE_CHECKING:
    from authoring.check import Checker

# Pelican's intrasite links: {filename}, {static}, {attach}, or |filename|.
LINK = re.compile(r"[{|](?P<what>filename|static|attach)[|}](?P<target>[^\s)\"'<>\]]*)")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<src>[^)\s>]+)")
HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"'](?P<src>[^\"']+)", re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)


def check_links(checker: Checker, file: ContentFile) -> None:
    # Pelican resolves links in the HTML it writes, and Markdown leaves an
    # HTML comment as it is: a link inside a comment is no link.
    text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), file.text)
    start = offset_of_line(text, file.header.body_line)
    for match in LINK.finditer(text, start):
        check_link(checker, file, match, line_at(text, match.start()))
    for pattern in (MARKDOWN_IMAGE, HTML_IMAGE):
        for match in pattern.finditer(text, start):
            check_image_src(checker, file, match["src"], line_at(text, match.start()))


def resolve(checker: Checker, file: ContentFile, target: str) -> Path:
    path = unquote(re.split(r"[#?]", target, maxsplit=1)[0])
    if path.startswith("/"):
        return checker.project.content / path.lstrip("/")
    return file.path.parent / path


def check_link(checker: Checker, file: ContentFile, match: re.Match, line: int) -> None:
    what, target = match["what"], match["target"]
    if not re.split(r"[#?]", target, maxsplit=1)[0]:
        return  # {filename}#anchor: a link into the same file
    path = resolve(checker, file, target)
    link = f"{{{what}}}{target}"
    if not path.is_file():
        checker.report.error(
            file.path,
            line,
            f"{link}: no such file (looked for {display_path(path.resolve())})",
        )
        return
    linked = checker.by_path.get(path.resolve())
    if what != "filename" or linked is None or file.is_draft:
        return
    date = checker.dates.get(path.resolve())
    if linked.is_draft:
        checker.report.warning(
            file.path,
            line,
            f"{link} links to a draft: the link is broken on the published "
            "site until that essay is published",
        )
    elif date is not None and date > checker.now and linked.kind == "essay":
        checker.report.warning(
            file.path,
            line,
            f"{link} links to an essay dated {date:%Y-%m-%d %H:%M}, in the "
            "future: the link is broken on the published site until then",
        )


def check_image_src(checker: Checker, file: ContentFile, src: str, line: int) -> None:
    if re.match(r"([{|](static|attach)[|}])|[a-z][a-z0-9+.-]*:|//", src, re.I):
        return  # {static}, {attach}, or an absolute URL (https:, data:)
    name = src.split("images/", 1)[-1].lstrip("./")
    checker.report.warning(
        file.path,
        line,
        f"image '{src}' is not a {{static}} link: it breaks in feeds and "
        f"email; write {{static}}/images/{name} (the file in content/images/)",
    )


def offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset
