"""`make checklists`: what the build takes for a checklist in each essay, and why.

For every essay: each checklist with its line, title, form, item count,
first item and why it was kept; then each list left out and why. The essays
are converted by the checklist plugin itself (plugins/features/checklists/analyse.py),
so this is what the build will do.
"""

from __future__ import annotations

from authoring.checklist_markup import default_mode, load_analyse
from authoring.header import NotUtf8, read_content_file
from authoring.problems import display_path
from authoring.project import Project


def report_lines(project: Project) -> tuple[list[str], int]:
    """The report, and 1 when an essay could not be read (else 0)."""
    analyse = load_analyse(project.settings.get("PLUGIN_PATHS") or [])
    if isinstance(analyse, str):
        return [f"checklists: error: {analyse}"], 1
    markdown = project.settings.get("MARKDOWN") or {}
    mode = default_mode(project.settings)
    lines: list[str] = []
    status = 0
    checklists = left_out = 0
    essays = project.essay_files()
    for path in essays:
        shown = display_path(path)
        try:
            file = read_content_file(path, "essay")
        except NotUtf8 as error:
            lines.append(f"{shown}:{error.line}: error: not UTF-8 ({error.detail})")
            status = 1
            continue
        title = file.header.value("Title") or ""
        found = analyse(file.text, markdown, mode, title)
        draft = " (draft)" if file.is_draft else ""
        lines.append(f"{shown}: {title}{draft}")
        for line, checklist in found.checklists:
            first = checklist.items[0].text if checklist.items else ""
            form = "numbered list" if checklist.ordered else checklist.form
            if checklist.form == "inline":
                form = "prose list"
            lines.append(
                f"  {shown}:{line}: checklist “{checklist.title}” ({form}, "
                f"{len(checklist.items)} items, #{checklist.id})"
            )
            lines.append(f"      first item: {first}")
            lines.append(f"      kept: {checklist.kept_because}")
        for dropped in found.left_out:
            # Footnotes and [TOC] are Markdown's own lists: no line of their own.
            where = f"{shown}:{dropped.line}" if dropped.line else shown
            lines.append(f"  {where}: left out: {dropped.reason}")
        for line, severity, message in found.problems:
            # The guesses (make check prints the mistakes).
            if severity == "note":
                lines.append(f"  {shown}:{line}: note: {message}")
        if not found.checklists and not found.left_out:
            lines.append("  no lists")
        checklists += len(found.checklists)
        left_out += len(found.left_out)
    lines.append(
        f"{checklists} checklists, {left_out} lists left out, in {len(essays)} essays"
    )
    return lines, status


def main(args) -> int:
    from authoring.project import load_project

    project = load_project(args.settings, args.content)
    lines, status = report_lines(project)
    for line in lines:
        print(line)
    return status
