"""Checks of one file's metadata and text: fields, dates, status, slug, series part."""

from __future__ import annotations

import datetime
import difflib
import re
from typing import TYPE_CHECKING

from markdown.extensions.meta import META_RE
from pelican.utils import get_date

from authoring.header import ContentFile, line_at

if TYPE_CHECKING:
    from authoring.check import Checker

# An essay without a Series is a standalone essay; one in a series needs its
# part number (the navigation says "part 2 of 5"): see check_series_index.
REQUIRED = {
    "essay": [
        "Title",
        "Date",
        "Category",
        "Tags",
        "Slug",
        "Summary",
    ],
    "page": ["Title", "Slug", "Summary"],
}
# Fields Pelican, its plugins and this site read. An unknown field close to
# one of these is most likely a typo; others (a plugin's own) pass silently.
KNOWN_FIELDS = [
    "Title",
    "Date",
    "Modified",
    "Category",
    "Tags",
    "Slug",
    "Author",
    "Authors",
    "Series",
    "Series_index",
    "Source",
    "Summary",
    "Status",
    "Lang",
    "Translation",
    "Template",
    "Save_as",
    "Url",
]
STATUSES = ("draft", "hidden", "published", "skip")
DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
# The comment `newpost` writes into a new essay starts with this.
NEWPOST_NOTES = "<!-- newpost:"
# Looks like a field, but Markdown's `meta` would not read it as one.
ALMOST_A_FIELD = re.compile(r"^\s*[A-Za-z][\w -]{0,40}:\s")


def check_fields(checker: Checker, file: ContentFile) -> None:
    header = file.header
    seen: dict[str, int] = {}
    known = {name.lower(): name for name in KNOWN_FIELDS}
    for field in header.fields:
        if field.name in seen:
            checker.report.error(
                file.path,
                field.line,
                f"field '{field.key}' is given twice (first on line "
                f"{seen[field.name]}); Pelican uses only one",
            )
        seen.setdefault(field.name, field.line)
        if field.name not in known:
            close = difflib.get_close_matches(field.name, list(known), n=1, cutoff=0.75)
            if close:
                checker.report.warning(
                    file.path,
                    field.line,
                    f"unknown field '{field.key}': did you mean '{known[close[0]]}'?",
                )
    if header.unseparated_line:
        lines = file.text.splitlines()[header.unseparated_line - 1 :]
        blank = next((n for n, text in enumerate(lines) if not text.strip()), None)
        block = lines[:blank]
        # Fields after it: the header was meant to go on, and is cut here.
        if ALMOST_A_FIELD.match(lines[0]) and any(
            META_RE.match(line) for line in block[1:]
        ):
            checker.report.error(
                file.path,
                header.unseparated_line,
                "this line is not read as metadata (a field name is one word: "
                "letters, digits, '_' or '-'), so it and everything after it "
                "become essay text",
            )
        else:
            checker.report.warning(
                file.path,
                header.unseparated_line,
                "no blank line between the metadata and the text",
            )
    for name in REQUIRED[file.kind]:
        field = header.get(name)
        if field is None:
            if name == "Title":
                # Pelican skips a file without a title, draft or not.
                checker.report.error(file.path, 1, "missing required field 'Title'")
            else:
                checker.missing(file, 1, f"missing required field '{name}'")
        elif not field.value:
            checker.missing(file, field.line, f"field '{field.key}' is empty")
    check_date(checker, file)
    check_status(checker, file)
    check_slug(checker, file)
    check_series_index(checker, file)


def check_date(checker: Checker, file: ContentFile) -> None:
    for name in ("Date", "Modified"):
        field = file.header.get(name)
        if field is None or not field.value:
            continue
        try:
            # As Pelican's reader does (METADATA_PROCESSORS in readers.py).
            text = field.value.replace("_", " ") if name == "Date" else field.value
            date = read_date(text)
        except ValueError:
            checker.report.error(
                file.path, field.line, f"{name} '{field.value}' is not a real date"
            )
            continue
        if name == "Date":
            if date.tzinfo is None:
                date = date.replace(tzinfo=checker.timezone)
            checker.dates[file.resolved] = date
        if not DATE_FORM.fullmatch(field.value):
            checker.report.warning(
                file.path,
                field.line,
                f"{name} '{field.value}' is read as "
                f"{date:%Y-%m-%d %H:%M}; write it that way (YYYY-MM-DD HH:MM)",
            )


def read_date(text: str) -> datetime.datetime:
    """The date Pelican reads from `text`; ValueError when there is none.

    The form every essay uses is read directly: the same date (or error)
    as dateutil's, which Pelican's get_date calls, at a tenth of the cost.
    """
    if DATE_FORM.fullmatch(text):
        return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M")
    return get_date(text)


def check_status(checker: Checker, file: ContentFile) -> None:
    field = file.header.get("Status")
    if field and field.value.strip().lower() not in STATUSES:
        checker.report.error(
            file.path,
            field.line,
            f"Status '{field.value}' is not one of: {', '.join(STATUSES)}",
        )


def check_slug(checker: Checker, file: ContentFile) -> None:
    field = file.header.get("Slug")
    if not field or not field.value:
        return
    friendly = checker.slugify(field.value)
    if friendly != field.value:
        checker.report.warning(
            file.path,
            field.line,
            f"Slug '{field.value}' has characters that do not belong in a URL; "
            f"use '{friendly}'",
        )


def check_series_index(checker: Checker, file: ContentFile) -> None:
    field = file.header.get("Series_index")
    series = file.header.get("Series")
    if field is None and series is not None and series.value:
        checker.missing(file, series.line, "an essay in a series needs a Series_index")
        return
    if field is None or not field.value:
        return
    index = checker.series_index(file)
    if index is None:
        checker.report.error(
            file.path,
            field.line,
            f"Series_index '{field.value}' is not a whole number",
        )
    elif index < 1:
        checker.report.error(
            file.path, field.line, f"Series_index {index} must be 1 or more"
        )
    if not file.header.value("Series"):
        checker.report.error(
            file.path, field.line, "Series_index is given without a Series"
        )


def check_body(checker: Checker, file: ContentFile) -> None:
    if not file.body.strip():
        checker.report.warning(
            file.path, file.header.body_line, "no text after the metadata"
        )
    notes = file.text.find(NEWPOST_NOTES)
    if notes >= 0 and not file.is_draft:
        checker.report.warning(
            file.path,
            line_at(file.text, notes),
            "the notes `make newpost` wrote are still here; delete the "
            "comment before publishing",
        )
