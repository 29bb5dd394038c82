"""Every relative and anchor link in README.md and docs/*.md resolves on GitHub.

A link to a file needs the file (relative to the Markdown file that links, or
to the repository root when it starts with "/", as GitHub reads it); a link
with "#anchor" needs a heading in its file whose GitHub anchor that is. Links
inside code (fenced blocks and `spans`) are not links.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from tests.sitebuild import PROJECT

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
CODE_SPAN = re.compile(r"(?s)(`+).*?(?<!`)\1(?!`)")
LINK = re.compile(r"\]\(\s*<?([^)\s>]*)|^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.M)
HTML_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)=["']([^"']*)""", re.I)


def docs(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


def unfenced(text: str) -> str:
    """text with its fenced code blocks blanked out."""
    kept, fence = [], None
    for line in text.splitlines():
        m = FENCE.match(line)
        bare = line.strip()
        if fence is None and m:
            fence = m.group(1)
        elif fence and m and bare == fence[0] * len(bare) and len(bare) >= len(fence):
            fence = None
        elif fence is None:
            kept.append(line)
            continue
        kept.append("")  # keep the line numbers
    return "\n".join(kept)


def prose(text: str) -> str:
    """text with its fenced code blocks and code spans blanked out."""
    return CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), unfenced(text))


def github_anchor(heading: str, seen: dict[str, int]) -> str:
    """The id GitHub gives a heading (github-slugger): its text in lower case,
    punctuation and symbols dropped except "-" and "_" (backticks, ellipses,
    curly quotes go), each space a "-"; a repeated one gets -1, -2, ..."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    base = anchor = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
    while anchor in seen:
        seen[base] += 1
        anchor = f"{base}-{seen[base]}"
    seen[anchor] = 0
    return anchor


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    return {
        github_anchor(m.group(1) or "", seen)
        for line in unfenced(text).splitlines()
        if (m := HEADING.match(line))
    }


def broken_links(root: Path) -> list[str]:
    broken = []
    for page in docs(root):
        text = prose(page.read_text("utf-8"))
        found = [(m.start(), m.group(1) or m.group(2)) for m in LINK.finditer(text)]
        found += [(m.start(), m.group(1)) for m in HTML_LINK.finditer(text)]
        for start, target in found:
            if re.match(r"[a-zA-Z][a-zA-Z+.-]*:|//", target):
                continue  # another site, or mail
            where = f"{page.relative_to(root)}:{text.count(chr(10), 0, start) + 1}"
            path, _, anchor = urllib.parse.unquote(target).partition("#")
            base = root if path.startswith("/") else page.parent
            file = (base / path.lstrip("/")).resolve() if path else page
            if not file.exists():
                broken.append(f"{where}: {target}: no such file")
            elif anchor and (
                file.suffix != ".md" or anchor not in anchors(file.read_text("utf-8"))
            ):
                broken.append(f"{where}: {target}: no heading with that anchor")
    return broken


def test_every_link_in_the_readme_and_docs_resolves():
    assert broken_links(PROJECT) == []


def test_anchors_follow_githubs_rules():
    text = (
        "# `make check`\n## Start one: `make newpost`\n### What’s “new”… now?\n"
        "## snake_case and-hyphens\n## Settings\n```\n# not a heading\n```\n"
        "## Settings\n## Settings\n## Settings-1 \n"
    )
    assert anchors(text) == {
        "make-check",
        "start-one-make-newpost",
        "whats-new-now",
        "snake_case-and-hyphens",
        "settings",
        "settings-1",
        "settings-2",
        "settings-1-1",
    }


def test_broken_links_are_found(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "README.md").write_text(
        "# Top\n\n[ok](#top) [ok](docs/a.md#part-two) `[code](#nowhere)`\n"
        "[gone](#nowhere) [gone](docs/missing.md)\n\n```\n[code](#nowhere)\n```\n"
    )
    (tmp_path / "docs" / "a.md").write_text(
        "# A\n\n## Part two\n\n[ok](../README.md#top) [gone](README.md)\n"
        "[gone](../README.md#part-two) [ok](https://example.org/#x)\n"
    )
    assert broken_links(tmp_path) == [
        "README.md:4: #nowhere: no heading with that anchor",
        "README.md:4: docs/missing.md: no such file",
        "docs/a.md:5: README.md: no such file",
        "docs/a.md:6: ../README.md#part-two: no heading with that anchor",
    ]
