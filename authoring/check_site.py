"""Checks across all the content: one URL per file, series parts, checklist markup."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from authoring.checklist_cache import ProblemCache, code_fingerprint
from authoring.checklist_markup import default_mode, load_analyse
from authoring.header import ContentFile
from authoring.problems import Severity, display_path

if TYPE_CHECKING:
    from authoring.check import Checker


def url_of(checker: Checker, file: ContentFile) -> str | None:
    """Where the file is published (where a draft will be, once published)."""
    slug = file.header.value("Slug")
    if not slug:
        return None
    prefix = "ARTICLE" if file.kind == "essay" else "PAGE"
    lang = file.header.value("Lang") or checker.settings["DEFAULT_LANG"]
    setting = f"{prefix}_URL"
    if lang != checker.settings["DEFAULT_LANG"]:
        setting = f"{prefix}_LANG_URL"
    values = {field.name: field.value for field in file.header.fields}
    values.update(
        slug=slug,
        lang=lang,
        date=checker.dates.get(file.resolved, checker.now),
        author=checker.slugify(values.get("author", "")),
        category=checker.slugify(values.get("category", "")),
    )
    try:
        return str(checker.settings[setting]).format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None  # a URL pattern this check cannot fill in


def at_field(
    checker: Checker, file: ContentFile, name: str, severity: Severity, message: str
) -> None:
    """A problem on the line of the file's `name` field (line 1 without one)."""
    field = file.header.get(name)
    checker.report.add(file.path, field.line if field else 1, severity, message)


def check_urls(checker: Checker) -> None:
    first: dict[str, ContentFile] = {}
    for file in checker.files:
        url = url_of(checker, file)
        if url is None:
            continue
        if url in first:
            other = first[url]
            at_field(
                checker,
                file,
                "Slug",
                "error",
                f"URL '{url}' (Slug '{file.header.value('Slug')}') is also the "
                f"URL of {display_path(other.path)}",
            )
        else:
            first[url] = file


def check_series(checker: Checker) -> None:
    """The parts of each series: what goes out must be numbered 1, 2, 3 …

    Two published essays with one part number: an error (the navigation
    cannot order them). A draft whose number a published essay has: a
    warning, since it is not published yet. A gap in the published parts: a
    warning (part 2 may be a draft still being written).
    """
    parts: dict[str, dict[int, list[ContentFile]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for file in checker.files:
        series = file.header.value("Series")
        index = checker.series_index(file)
        if series and index is not None and index >= 1:
            parts[series][index].append(file)
    for series, by_index in parts.items():
        for index, files in by_index.items():
            # Published first, so that a draft is the one told its number is taken.
            files = sorted(files, key=lambda file: file.is_draft)
            for file in files[1:]:
                taken = f"Series_index {index} in series '{series}' is also used by "
                taken += display_path(files[0].path)
                severity = "warning" if file.is_draft else "error"
                at_field(checker, file, "Series_index", severity, taken)
        published = {
            index
            for index, files in by_index.items()
            if any(not file.is_draft for file in files)
        }
        for missing in range(1, max(published, default=0)):
            if missing in published:
                continue
            after = min(index for index in published if index > missing)
            first = next(file for file in by_index[after] if not file.is_draft)
            at_field(
                checker,
                first,
                "Series_index",
                "warning",
                f"series '{series}' has no published part {missing} before this "
                f"part {after}; number the parts 1, 2, 3 … without gaps",
            )


def check_checklists(checker: Checker) -> None:
    essays = [file for file in checker.files if file.kind == "essay"]
    analyse = load_analyse(checker.settings.get("PLUGIN_PATHS") or [])
    if isinstance(analyse, str):
        checker.report.warning(
            "authoring check",
            0,
            f"checklist markup not checked: {analyse}",
        )
        return
    markdown = checker.settings.get("MARKDOWN") or {}
    mode = default_mode(checker.settings)
    cache = ProblemCache(
        checker.settings.get("CACHE_PATH"),
        code_fingerprint(analyse.__module__, markdown, mode),
    )
    for file in essays:
        found = cache.get(file.text)
        if found is None:
            try:
                found = analyse(file.text, markdown, mode).problems
            except Exception as error:  # the plugin's bug, not the author's
                checker.report.error(
                    file.path,
                    0,
                    f"the checklist parser failed on this file: "
                    f"{type(error).__name__}: {error}",
                )
                continue
            cache.put(file.text, found)
        for line, severity, message in found:
            if severity not in ("error", "warning", "note"):
                severity = "error"
            checker.report.add(file.path, line, severity, message)
    cache.save()
