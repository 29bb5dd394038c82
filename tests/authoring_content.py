"""Small content folders for the authoring tests, written into temp folders."""

from __future__ import annotations

from pathlib import Path

from authoring.project import Project, load_project
from tests.sitebuild import PROJECT


def essay(
    title: str = "An Essay",
    slug: str = "an-essay",
    index: int | str = 1,
    date: str = "2026-07-01 09:00",
    extra: str = "",
    body: str = "The essay's text.\n",
) -> str:
    return (
        f"Title: {title}\n"
        f"Date: {date}\n"
        "Category: Customer Service\n"
        "Tags: listening\n"
        f"Slug: {slug}\n"
        "Series: Understanding Customer Service\n"
        f"Series_index: {index}\n"
        "Summary: One sentence.\n"
        f"{extra}"
        "\n"
        f"{body}"
    )


PAGE = "Title: About\nSlug: about\nSummary: What this is.\n\nText.\n"


def make_content(root: Path, essays: dict[str, str | bytes], pages=None) -> Path:
    """A content folder with these essays (file name: text) and pages."""
    content = root / "content"
    for folder, files in (("essays", essays), ("pages", pages or {"about.md": PAGE})):
        (content / folder).mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = content / folder / name
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
    (content / "images").mkdir(exist_ok=True)
    return content


def project_for(content: Path) -> Project:
    return load_project(PROJECT / "pelicanconf.py", content)
