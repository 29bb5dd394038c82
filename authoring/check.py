"""`make check`: find the authors' mistakes in the content without building.

Each problem is one line, `path:line: error|warning: message`. Errors are
what breaks the build or publishes something wrong; warnings are what an
author probably did not mean. Any error makes the command exit non-zero.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from pelican.utils import get_date, slugify

from authoring.checklist_markup import load_find_problems
from authoring.header import META_RE, ContentFile, NotUtf8, read_content_file
from authoring.problems import Report, display_path
from authoring.project import Project

REQUIRED = {
    "essay": [
        "Title",
        "Date",
        "Category",
        "Tags",
        "Slug",
        "Series",
        "Series_index",
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
# Pelican's intrasite links: {filename}, {static}, {attach}, or |filename|.
LINK = re.compile(r"[{|](?P<what>filename|static|attach)[|}](?P<target>[^\s)\"'<>\]]*)")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<src>[^)\s>]+)")
HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"'](?P<src>[^\"']+)", re.I)
COMMENT = re.compile(r"<!--.*?-->", re.S)
# The comment `newpost` writes into a new essay starts with this.
NEWPOST_NOTES = "<!-- newpost:"
# Looks like a field, but Markdown's `meta` would not read it as one.
ALMOST_A_FIELD = re.compile(r"^\s*[A-Za-z][\w -]{0,40}:\s")


def check_project(project: Project, only: Iterable[Path] | None = None) -> Report:
    """Check every essay and page; `only` limits the per-file report to some files.

    Cross-file checks (URLs, series) always look at all the content, since a
    duplicate needs both files.
    """
    report = Report()
    files: list[ContentFile] = []
    for kind, paths in (
        ("essay", project.essay_files()),
        ("page", project.page_files()),
    ):
        report.files += len(paths)
        for path in paths:
            try:
                files.append(read_content_file(path, kind))
            except NotUtf8 as error:
                report.error(
                    path,
                    error.line,
                    f"not UTF-8 ({error.detail}); save the file as UTF-8",
                )
    checker = _Checker(project, files, report)
    checker.run()
    if only is not None:
        wanted = {display_path(path.resolve()) for path in only}
        report.problems = [p for p in report.problems if p.path in wanted]
    return report


class _Checker:
    def __init__(self, project: Project, files: list[ContentFile], report: Report):
        self.project = project
        self.settings = project.settings
        self.files = files
        self.report = report
        self.by_path = {file.path.resolve(): file for file in files}
        self.timezone = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        self.now = datetime.datetime.now(self.timezone)
        self.dates: dict[Path, datetime.datetime] = {}

    def run(self) -> None:
        for file in self.files:
            self.check_fields(file)  # first everywhere: links need every date
        for file in self.files:
            self.check_body(file)
            self.check_links(file)
        self.check_urls()
        self.check_series()
        self.check_checklists()

    # --- one file -------------------------------------------------------------

    def missing(self, file: ContentFile, line: int, message: str) -> None:
        """A field still to be written: an error, or a warning in a draft."""
        if file.is_draft:
            self.report.warning(file.path, line, f"{message} (needed to publish)")
        else:
            self.report.error(file.path, line, message)

    def check_fields(self, file: ContentFile) -> None:
        header = file.header
        seen: dict[str, int] = {}
        known = {name.lower(): name for name in KNOWN_FIELDS}
        for field in header.fields:
            if field.name in seen:
                self.report.error(
                    file.path,
                    field.line,
                    f"field '{field.key}' is given twice (first on line "
                    f"{seen[field.name]}); Pelican uses only one",
                )
            seen.setdefault(field.name, field.line)
            if field.name not in known:
                close = difflib.get_close_matches(
                    field.name, list(known), n=1, cutoff=0.75
                )
                if close:
                    self.report.warning(
                        file.path,
                        field.line,
                        f"unknown field '{field.key}': did you mean "
                        f"'{known[close[0]]}'?",
                    )
        if header.unseparated_line:
            lines = file.text.splitlines()[header.unseparated_line - 1 :]
            blank = next((n for n, text in enumerate(lines) if not text.strip()), None)
            block = lines[:blank]
            # Fields after it: the header was meant to go on, and is cut here.
            if ALMOST_A_FIELD.match(lines[0]) and any(
                META_RE.match(line) for line in block[1:]
            ):
                self.report.error(
                    file.path,
                    header.unseparated_line,
                    "this line is not read as metadata (a field name is one word: "
                    "letters, digits, '_' or '-'), so it and everything after it "
                    "become essay text",
                )
            else:
                self.report.warning(
                    file.path,
                    header.unseparated_line,
                    "no blank line between the metadata and the text",
                )
        for name in REQUIRED[file.kind]:
            field = header.get(name)
            if field is None:
                if name == "Title":
                    # Pelican skips a file without a title, draft or not.
                    self.report.error(file.path, 1, "missing required field 'Title'")
                else:
                    self.missing(file, 1, f"missing required field '{name}'")
            elif not field.value:
                self.missing(file, field.line, f"field '{field.key}' is empty")
        self.check_date(file)
        self.check_status(file)
        self.check_slug(file)
        self.check_series_index(file)

    def check_date(self, file: ContentFile) -> None:
        for name in ("Date", "Modified"):
            field = file.header.get(name)
            if field is None or not field.value:
                continue
            try:
                # As Pelican's reader does (METADATA_PROCESSORS in readers.py).
                text = field.value.replace("_", " ") if name == "Date" else field.value
                date = get_date(text)
            except ValueError:
                self.report.error(
                    file.path, field.line, f"{name} '{field.value}' is not a real date"
                )
                continue
            if name == "Date":
                if date.tzinfo is None:
                    date = date.replace(tzinfo=self.timezone)
                self.dates[file.path.resolve()] = date
            if not DATE_FORM.fullmatch(field.value):
                self.report.warning(
                    file.path,
                    field.line,
                    f"{name} '{field.value}' is read as "
                    f"{date:%Y-%m-%d %H:%M}; write it that way (YYYY-MM-DD HH:MM)",
                )

    def check_status(self, file: ContentFile) -> None:
        field = file.header.get("Status")
        if field and field.value.strip().lower() not in STATUSES:
            self.report.error(
                file.path,
                field.line,
                f"Status '{field.value}' is not one of: {', '.join(STATUSES)}",
            )

    def check_slug(self, file: ContentFile) -> None:
        field = file.header.get("Slug")
        if not field or not field.value:
            return
        friendly = self.slugify(field.value)
        if friendly != field.value:
            self.report.warning(
                file.path,
                field.line,
                f"Slug '{field.value}' has characters that do not belong in a URL; "
                f"use '{friendly}'",
            )

    def slugify(self, text: str) -> str:
        return slugify(
            text,
            regex_subs=self.settings["SLUG_REGEX_SUBSTITUTIONS"],
            preserve_case=self.settings["SLUGIFY_PRESERVE_CASE"],
            use_unicode=self.settings["SLUGIFY_USE_UNICODE"],
        )

    def series_index(self, file: ContentFile) -> int | None:
        field = file.header.get("Series_index")
        try:
            return int(field.value) if field else None
        except ValueError:
            return None

    def check_series_index(self, file: ContentFile) -> None:
        field = file.header.get("Series_index")
        if field is None or not field.value:
            return
        index = self.series_index(file)
        if index is None:
            self.report.error(
                file.path,
                field.line,
                f"Series_index '{field.value}' is not a whole number",
            )
        elif index < 1:
            self.report.error(
                file.path, field.line, f"Series_index {index} must be 1 or more"
            )
        if not file.header.value("Series"):
            self.report.error(
                file.path, field.line, "Series_index is given without a Series"
            )

    def check_body(self, file: ContentFile) -> None:
        if not file.body.strip():
            self.report.warning(
                file.path, file.header.body_line, "no text after the metadata"
            )
        notes = file.text.find(NEWPOST_NOTES)
        if notes >= 0 and not file.is_draft:
            self.report.warning(
                file.path,
                _line_at(file.text, notes),
                "the notes `make newpost` wrote are still here; delete the "
                "comment before publishing",
            )

    # --- links and images ------------------------------------------------------

    def check_links(self, file: ContentFile) -> None:
        # Pelican resolves links in the HTML it writes, and Markdown leaves an
        # HTML comment as it is: a link inside a comment is no link.
        text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), file.text)
        start = _offset_of_line(text, file.header.body_line)
        for match in LINK.finditer(text, start):
            self.check_link(file, match, _line_at(text, match.start()))
        for pattern in (MARKDOWN_IMAGE, HTML_IMAGE):
            for match in pattern.finditer(text, start):
                self.check_image_src(file, match["src"], _line_at(text, match.start()))

    def resolve(self, file: ContentFile, target: str) -> Path:
        path = unquote(re.split(r"[#?]", target, maxsplit=1)[0])
        if path.startswith("/"):
            return self.project.content / path.lstrip("/")
        return file.path.parent / path

    def check_link(self, file: ContentFile, match: re.Match, line: int) -> None:
        what, target = match["what"], match["target"]
        if not re.split(r"[#?]", target, maxsplit=1)[0]:
            return  # {filename}#anchor: a link into the same file
        path = self.resolve(file, target)
        link = f"{{{what}}}{target}"
        if not path.is_file():
            self.report.error(
                file.path,
                line,
                f"{link}: no such file (looked for {display_path(path.resolve())})",
            )
            return
        linked = self.by_path.get(path.resolve())
        if what != "filename" or linked is None or file.is_draft:
            return
        date = self.dates.get(path.resolve())
        if linked.is_draft:
            self.report.warning(
                file.path,
                line,
                f"{link} links to a draft: the link is broken on the published "
                "site until that essay is published",
            )
        elif date is not None and date > self.now and linked.kind == "essay":
            self.report.warning(
                file.path,
                line,
                f"{link} links to an essay dated {date:%Y-%m-%d %H:%M}, in the "
                "future: the link is broken on the published site until then",
            )

    def check_image_src(self, file: ContentFile, src: str, line: int) -> None:
        if re.match(r"([{|](static|attach)[|}])|[a-z][a-z0-9+.-]*:|//", src, re.I):
            return  # {static}, {attach}, or an absolute URL (https:, data:)
        name = src.split("images/", 1)[-1].lstrip("./")
        self.report.warning(
            file.path,
            line,
            f"image '{src}' is not a {{static}} link: it breaks in feeds and "
            f"email; write {{static}}/images/{name} (the file in content/images/)",
        )

    # --- across files ---------------------------------------------------------

    def url_of(self, file: ContentFile) -> str | None:
        """Where the file is published (where a draft will be, once published)."""
        slug = file.header.value("Slug")
        if not slug:
            return None
        prefix = "ARTICLE" if file.kind == "essay" else "PAGE"
        lang = file.header.value("Lang") or self.settings["DEFAULT_LANG"]
        setting = f"{prefix}_URL"
        if lang != self.settings["DEFAULT_LANG"]:
            setting = f"{prefix}_LANG_URL"
        values = {field.name: field.value for field in file.header.fields}
        values.update(
            slug=slug,
            lang=lang,
            date=self.dates.get(file.path.resolve(), self.now),
            author=self.slugify(values.get("author", "")),
            category=self.slugify(values.get("category", "")),
        )
        try:
            return str(self.settings[setting]).format(**values)
        except (KeyError, IndexError, ValueError, AttributeError):
            return None  # a URL pattern this check cannot fill in

    def check_urls(self) -> None:
        first: dict[str, ContentFile] = {}
        for file in self.files:
            url = self.url_of(file)
            if url is None:
                continue
            if url in first:
                other = first[url]
                field = file.header.get("Slug")
                self.report.error(
                    file.path,
                    field.line if field else 1,
                    f"URL '{url}' (Slug '{file.header.value('Slug')}') is also the "
                    f"URL of {display_path(other.path)}",
                )
            else:
                first[url] = file

    def check_series(self) -> None:
        parts: dict[str, dict[int, list[ContentFile]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for file in self.files:
            series = file.header.value("Series")
            index = self.series_index(file)
            if series and index is not None and index >= 1:
                parts[series][index].append(file)
        for series, by_index in parts.items():
            for index, files in by_index.items():
                for file in files[1:]:
                    field = file.header.get("Series_index")
                    self.report.error(
                        file.path,
                        field.line if field else 1,
                        f"Series_index {index} in series '{series}' is also used "
                        f"by {display_path(files[0].path)}",
                    )
            for missing in range(1, max(by_index)):
                if missing in by_index:
                    continue
                after = min(index for index in by_index if index > missing)
                file = by_index[after][0]
                field = file.header.get("Series_index")
                self.report.error(
                    file.path,
                    field.line if field else 1,
                    f"series '{series}' has no part {missing} before this part "
                    f"{after}; number the parts 1, 2, 3 … without gaps",
                )

    def check_checklists(self) -> None:
        essays = [file for file in self.files if file.kind == "essay"]
        find_problems = load_find_problems(self.settings.get("PLUGIN_PATHS") or [])
        if isinstance(find_problems, str):
            self.report.warning(
                "authoring check",
                0,
                f"checklist markup not checked: {find_problems}",
            )
            return
        for file in essays:
            try:
                found = find_problems(file.text)
            except Exception as error:  # the plugin's bug, not the author's
                self.report.error(
                    file.path,
                    0,
                    f"the checklist parser failed on this file: "
                    f"{type(error).__name__}: {error}",
                )
                continue
            for line, severity, message in found:
                if severity not in ("error", "warning"):
                    severity = "error"
                self.report.add(file.path, line, severity, message)


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def main(args) -> int:
    """Print every problem, then a summary; exit 1 on any error."""
    from authoring.project import load_project

    project = load_project(args.settings, args.content)
    report = check_project(project, args.files or None)
    for line in report.lines():
        print(line)
    print(report.summary())
    return 1 if report.errors else 0
