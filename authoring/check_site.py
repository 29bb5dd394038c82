"""Checks across all the content: one URL per file, series parts, checklist markup."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from authoring.checklist_cache import ProblemCache, code_fingerprint
from authoring.checklist_markup import default_mode, load_analyse
from authoring.header import ContentFile
from authoring.problems import display_path

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
        date=checker.dates.get(file.path.resolve(), checker.now),
        author=checker.slugify(values.get("author", "")),
        category=checker.slugify(values.get("category", "")),
    )
    try:
        return str(checker.settings[setting]).format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return None  # a URL pattern this check cannot fill in


def error_at_field(
    checker: Checker, file: ContentFile, name: str, message: str
) -> None:
    """An error on the line of the file's `name` field (line 1 without one)."""
    field = file.header.get(name)
    checker.report.error(file.path, field.line if field else 1, message)


def check_urls(checker: Checker) -> None:
    first: dict[str, ContentFile] = {}
    for file in checker.files:
        url = url_of(checker, file)
        if url is None:
            continue
        if url in first:
            other = first[url]
            error_at_field(
                checker,
                file,
                "Slug",
                f"URL '{url}' (Slug '{file.header.value('Slug')}') is also the "
                f"URL of {display_path(other.path)}",
            )
        else:
            first[url] = file


def check_series(checker: Checker) -> None:
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
            for file in files[1:]:
                error_at_field(
                    checker,
                    file,
                    "Series_index",
                    f"Series_index {index} in series '{series}' is also used "
                    f"by {display_path(files[0].path)}",
                )
        for missing in range(1, max(by_index)):
            if missing in by_index:
                continue
            after = min(index for index in by_index if index > missing)
            error_at_field(
                checker,
                by_index[after][0],
                "Series_index",
                f"series '{series}' has no part {missing} before this part "
                f"{after}; number the parts 1, 2, 3 … without gaps",
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
