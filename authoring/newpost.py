"""`make newpost TITLE="..."`: the next essay, as a draft with every field filled.

The next number, the slug, the next month in the series' cadence, the next
part of the series and the author from settings are worked out from the
essays already there, so a new file never needs anything looked up by hand.
An existing file is never overwritten.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta
from pelican.utils import get_date, slugify

from authoring.header import ContentFile, NotUtf8, read_content_file
from authoring.problems import display_path
from authoring.project import Project, load_project

NUMBER = re.compile(r"^(\d+)-")
DEFAULT_TIME = datetime.time(9, 0)

# The checklist markup the checklists plugin reads (docs/checklists.md, "Checklists").
CHECKLIST_EXAMPLE = """\
Checklists (docs/checklists.md). A list that reads as a set to act on is a
checklist (`make checklists` shows which, and why), titled by the sentence that
introduces it or the heading above it. To title one yourself, or to keep a list
out ({: .no-checklist }), write a line right below its last item:

- Listen first.
- Promise only what you can deliver.
{: .checklist title="Before you answer" }

A list written in prose becomes a checklist when its items are marked:

Some simple needs include; [patience, respect,
and empathy]{: .checklist title="Simple needs" }.
"""

TEMPLATE = """\
{fields}

<!-- newpost: notes for you, the author. Delete this comment when the essay is ready.

- Fill in Tags (comma-separated) and Summary (one or two sentences in the
  author's own words: they show on the home page, in feeds and in search).
- Add a line "Author: Name" above only when the text names its author, and
  "Source: ..." when it says where and when it first appeared.
- Images go in content/images/; show one with
  ![what it shows]({{static}}/images/NAME.jpg).
- Remove "Status: draft" to publish. An essay dated in the future is left
  out of `make publish` until its date.
- `make check` lists what is still missing; `make devserver` previews this
  draft at {preview}

{checklist}-->

"""


class NewpostError(Exception):
    """Stops newpost with a one-line message; nothing is written."""


@dataclass(frozen=True)
class Essay:
    path: Path
    date: datetime.datetime | None
    series: str | None
    series_index: int | None
    category: str | None
    slug: str | None


def _read_essays(project: Project) -> list[Essay]:
    essays = []
    for path in project.essay_files():
        try:
            file: ContentFile = read_content_file(path, "essay")
        except NotUtf8:
            continue  # `make check` reports it; it cannot spoil the numbering
        header = file.header
        try:
            date = get_date(header.value("Date").replace("_", " "))
        except (AttributeError, ValueError):
            date = None
        try:
            index = int(header.value("Series_index") or "")
        except ValueError:
            index = None
        essays.append(
            Essay(
                path=path,
                date=date,
                series=header.value("Series") or None,
                series_index=index,
                category=header.value("Category") or None,
                slug=header.value("Slug") or None,
            )
        )
    return essays


def _page_slugs(project: Project) -> dict[str, Path]:
    slugs = {}
    for path in project.page_files():
        try:
            slug = read_content_file(path, "page").header.value("Slug")
        except NotUtf8:
            continue
        if slug:
            slugs[slug] = path
    return slugs


def next_number(folder: Path) -> str:
    """One more than the highest NN- prefix in the folder, as wide as the widest."""
    numbers = [
        match[1]
        for path in folder.glob("*")
        if (match := NUMBER.match(path.name)) is not None
    ]
    if not numbers:
        return "01"
    width = max(2, *(len(number) for number in numbers))
    return str(max(int(number) for number in numbers) + 1).zfill(width)


def next_date(essays: list[Essay], today: datetime.date) -> datetime.datetime:
    """A month after the latest essay; the first of next month when there is none."""
    dates = [essay.date for essay in essays if essay.date is not None]
    if dates:
        return max(dates) + relativedelta(months=1)
    first = today.replace(day=1) + relativedelta(months=1)
    return datetime.datetime.combine(first, DEFAULT_TIME)


def make_slug(title: str, settings: dict) -> str:
    return slugify(
        title,
        regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"],
        preserve_case=settings["SLUGIFY_PRESERVE_CASE"],
        use_unicode=settings["SLUGIFY_USE_UNICODE"],
    )


@dataclass(frozen=True)
class NewEssay:
    path: Path
    text: str
    slug: str
    date: datetime.datetime
    series: str | None
    series_index: int | None


def plan(
    project: Project,
    title: str,
    slug: str | None = None,
    today: datetime.date | None = None,
) -> NewEssay:
    """Work out the new essay's file and text; raises NewpostError."""
    title = " ".join((title or "").split())
    if not title:
        raise NewpostError('a title is needed: make newpost TITLE="The essay\'s title"')
    settings = project.settings
    slug = slug or make_slug(title, settings)
    if not slug:
        raise NewpostError(
            f"cannot make a URL slug from the title {title!r}; give one with --slug"
        )
    if make_slug(slug, settings) != slug:
        raise NewpostError(
            f"the slug {slug!r} has characters that do not belong in a URL; "
            f"try {make_slug(slug, settings)!r}"
        )

    essays = _read_essays(project)
    taken = {essay.slug: essay.path for essay in essays if essay.slug}
    taken.update(_page_slugs(project))
    if slug in taken:
        raise NewpostError(
            f"the slug {slug!r} is already used by {display_path(taken[slug])}; "
            "choose another title or give a slug with --slug"
        )

    folder = project.essay_folders[0]
    date = next_date(essays, today or datetime.date.today())
    dated = sorted(
        (essay for essay in essays if essay.date is not None),
        key=lambda essay: essay.date,
    )
    latest = dated[-1] if dated else None
    series = latest.series if latest else None
    series_index = None
    if series:
        series_index = 1 + max(
            (
                essay.series_index or 0
                for essay in essays
                if essay.series == series and essay.series_index
            ),
            default=0,
        )

    author = str(settings.get("NEWPOST_AUTHOR") or "").strip()
    fields = [
        ("Title", title),
        ("Date", f"{date:%Y-%m-%d %H:%M}"),
        ("Category", (latest.category if latest else None) or ""),
        ("Tags", ""),
        ("Slug", slug),
    ]
    if author:
        fields.append(("Author", author))
    if series:
        fields += [("Series", series), ("Series_index", str(series_index))]
    fields += [("Summary", ""), ("Status", "draft")]

    try:
        draft_url = settings["DRAFT_URL"].format(
            slug=slug, date=date, lang=settings["DEFAULT_LANG"], category="", author=""
        )
    except (KeyError, IndexError, ValueError):
        draft_url = ""  # a URL pattern with fields newpost does not know
    preview = f"http://127.0.0.1:8000/{draft_url}"
    text = TEMPLATE.format(
        fields="\n".join(f"{key}: {value}".rstrip() for key, value in fields),
        preview=preview,
        checklist=CHECKLIST_EXAMPLE,
    )
    path = folder / f"{next_number(folder)}-{slug}.md"
    return NewEssay(path, text, slug, date, series, series_index)


def write(essay: NewEssay) -> None:
    """Create the file; never overwrite one (raises NewpostError)."""
    essay.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with essay.path.open("x", encoding="utf-8") as file:
            file.write(essay.text)
    except FileExistsError:
        raise NewpostError(
            f"{display_path(essay.path)} already exists; nothing was written"
        ) from None


def main(args) -> int:
    try:
        project = load_project(args.settings, args.content)
        essay = plan(project, args.title, args.slug)
        write(essay)
    except NewpostError as error:
        print(f"newpost: error: {error}", file=sys.stderr)
        return 1
    part = f", part {essay.series_index} of {essay.series}" if essay.series else ""
    print(
        f"Created {display_path(essay.path)}: a draft dated "
        f"{essay.date:%Y-%m-%d %H:%M}{part}."
    )
    print("Next: fill in Tags and Summary, write the essay, then `make check`.")
    return 0
