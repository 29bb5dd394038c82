"""`make check`: find the authors' mistakes in the content without building.

Each problem is one line, `path:line: error|warning: message`. Errors are
what breaks the build or publishes something wrong; warnings are what an
author probably did not mean. Any error makes the command exit non-zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.utils import slugify

from authoring.check_fields import check_body, check_fields
from authoring.check_links import check_links
from authoring.check_site import check_checklists, check_series, check_urls
from authoring.header import ContentFile, NotUtf8, read_content_file
from authoring.problems import Report, display_path
from authoring.project import Project


def check_project(
    project: Project, only: Iterable[Path] | None = None, checklists: bool = True
) -> Report:
    """Check every essay and page; `only` limits the per-file report to some files.

    Cross-file checks (URLs, series) always look at all the content, since a
    duplicate needs both files. `checklists=False` leaves the checklist markup
    out: the build's own checklist plugin reports it as it converts.
    """
    report = Report()
    files: list[ContentFile] = []
    essays = project.essay_files()
    for kind, paths in (("essay", essays), ("page", project.page_files(essays))):
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
    checker = Checker(project, files, report)
    checker.run(checklists)
    if only is not None:
        wanted = {display_path(path.resolve()) for path in only}
        report.problems = [p for p in report.problems if p.path in wanted]
    return report


class Checker:
    """The content being checked, what is known about it so far, and the report."""

    def __init__(self, project: Project, files: list[ContentFile], report: Report):
        self.project = project
        self.settings = project.settings
        self.files = files
        self.report = report
        self.by_path = {file.resolved: file for file in files}
        self.timezone = ZoneInfo(self.settings.get("TIMEZONE") or "UTC")
        self.now = datetime.datetime.now(self.timezone)
        self.dates: dict[Path, datetime.datetime] = {}
        self._slugs: dict[str, str] = {}

    def run(self, checklists: bool = True) -> None:
        for file in self.files:
            check_fields(self, file)  # first everywhere: links need every date
        for file in self.files:
            check_body(self, file)
            check_links(self, file)
        check_urls(self)
        check_series(self)
        if checklists:
            check_checklists(self)

    def missing(self, file: ContentFile, line: int, message: str) -> None:
        """A field still to be written: an error, or a warning in a draft."""
        if file.is_draft:
            self.report.warning(file.path, line, f"{message} (needed to publish)")
        else:
            self.report.error(file.path, line, message)

    def slugify(self, text: str) -> str:
        # The same few authors and categories over and over: each once.
        if text not in self._slugs:
            self._slugs[text] = self._slugify(text)
        return self._slugs[text]

    def _slugify(self, text: str) -> str:
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


def main(args) -> int:
    """Print every problem, then a summary; exit 1 on any error."""
    from authoring.project import load_project

    project = load_project(args.settings, args.content)
    report = check_project(project, args.files or None)
    for line in report.lines():
        print(line)
    print(report.summary())
    return 1 if report.errors else 0
