"""plugins/skip_unchanged: a warm rebuild leaves unchanged pages alone and is
byte for byte a cold build of the same content.

One site is built warm (content cache on, as `make html` and the devserver
build) again after each kind of change, in the order of the tests below;
after every change its output is compared, file by file, with a cold build
(`--ignore-cache`, into a fresh folder) of the same content, theme and
plugins. The theme and the plugins are private copies, so that a test can
edit them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.sitebuild import PROJECT, build, copy_content

ESSAY = """Title: {title}
Date: 2027-0{month}-01 09:00
Category: Customer Service
Tags: {tags}
Slug: {slug}
Series: {series}
Series_index: {index}
Summary: {summary}
{extra}
## Listening

The body of {slug}, with a list:

- Greet the customer by name.
- Listen before answering.
- Follow up the next day.
"""


def essay(slug: str, **fields: object) -> str:
    values = {
        "title": f"The essay {slug}",
        "month": 1,
        "tags": "listening, testing",
        "series": "Second Course",
        "index": 1,
        "summary": f"The summary of {slug}.",
        "extra": "",
        "slug": slug,
    }
    values.update(fields)
    return ESSAY.format(**values)


RECORD = "skip_unchanged.json"


class Site:
    """The warm site, its content, theme and plugins, and cold builds of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = copy_content(root / "content")
        self.theme = root / "theme"
        shutil.copytree(PROJECT / "theme", self.theme)
        self.plugins = root / "plugins"
        shutil.copytree(
            PROJECT / "plugins",
            self.plugins,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        self.output = root / "output"
        self.cache = root / "cache"
        self.settings: list[str] = []
        self.colds = 0
        for index, month in ((1, 1), (2, 2), (3, 3)):
            self.write_essay(f"second-{index}", month=month, index=index)
        self.write_essay("third-1", month=4, series="Third Course", index=1)
        self.write_essay("third-2", month=5, series="Third Course", index=2)
        self.write_essay(
            "upcoming", month=6, series="Third Course", index=3, extra="Status: draft"
        )

    def essay_path(self, slug: str) -> Path:
        return self.content / "essays" / f"90-{slug}.md"

    def write_essay(self, slug: str, **fields: object) -> None:
        self.essay_path(slug).write_text(essay(slug, **fields), "utf-8")

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), "utf-8")

    def extra(self) -> list[str]:
        # One -e for all: Pelican keeps only the last -e's settings.
        settings = [item for item in self.settings if item != "-e"]
        return [
            "-e",
            f"THEME={json.dumps(str(self.theme))}",
            f"PLUGIN_PATHS={json.dumps([str(self.plugins)])}",
            *settings,
        ]

    def warm(self, **options: object) -> Path:
        return build(
            self.output,
            content=self.content,
            ignore_cache=False,
            cache_path=self.cache,
            extra=self.extra(),
            **options,
        )

    def cold(self) -> Path:
        self.colds += 1
        return build(
            self.root / f"cold-{self.colds}", content=self.content, extra=self.extra()
        )

    def record(self) -> dict:
        return json.loads((self.cache / RECORD).read_text("utf-8"))

    def rebuild_and_compare(self) -> dict:
        """Warm rebuild; the same files, byte for byte, as a cold build.

        Pelican never deletes a file it no longer writes (a removed tag's
        page): such leftovers of earlier builds are the only extra files,
        none of them written by this build.
        """
        warm = site_files(self.warm())
        cold = site_files(self.cold())
        record = self.record()
        assert set(cold) <= set(warm)
        assert set(warm) - set(cold) <= set(warm) - set(record["outputs"])
        assert [name for name in cold if warm[name] != cold[name]] == []
        return record


def site_files(output: Path) -> dict[str, bytes]:
    """Every output file; Pagefind's (named by a hash of the run) left out
    and the sitemap's modification times (the build's clock) blanked."""
    files = {}
    for path in sorted(output.rglob("*")):
        name = str(path.relative_to(output))
        if path.is_dir() or name.startswith("pagefind/"):
            continue
        data = path.read_bytes()
        if name == "sitemap.xml":
            data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
        files[name] = data
    return files


def stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_ino


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    site = Site(tmp_path_factory.mktemp("skip-unchanged"))
    site.warm()  # no cache yet: everything written, keys recorded
    return site


def test_an_unchanged_rebuild_writes_nothing_again(site):
    essay = site.output / "second-2" / "index.html"
    before = stamp(essay)
    record = site.rebuild_and_compare()
    assert stamp(essay) == before
    assert record["skipped"] == len(record["outputs"]) > 20


def test_a_body_edit_rewrites_the_essay_and_leaves_the_others(site):
    edited = site.output / "second-2" / "index.html"
    untouched = site.output / "customer-disservice" / "index.html"
    index = site.output / "index.html"
    before = {path: stamp(path) for path in (edited, untouched, index)}
    site.edit(site.essay_path("second-2"), "Follow up", "Call back")
    record = site.rebuild_and_compare()
    assert "Call back" in edited.read_text("utf-8")
    assert stamp(edited) != before[edited]
    # Neither its neighbours nor the lists show a body: left alone.
    assert stamp(untouched) == before[untouched]
    assert stamp(index) == before[index]
    assert 0 < record["skipped"] < len(record["outputs"])


def test_a_title_edit(site):
    site.edit(site.essay_path("second-3"), "Title: The essay", "Title: Retitled")
    site.rebuild_and_compare()
    assert "Retitled second-3" in (site.output / "second-2/index.html").read_text()


def test_a_summary_edit(site):
    site.edit(site.essay_path("second-1"), "Summary: The", "Summary: A new")
    site.rebuild_and_compare()
    assert "A new summary of second-1" in (site.output / "index.html").read_text()


def test_a_tag_added_and_removed(site):
    path = site.essay_path("third-1")
    site.edit(path, "Tags: listening", "Tags: brand-new, listening")
    site.rebuild_and_compare()
    assert (site.output / "tag" / "brand-new" / "index.html").exists()
    site.edit(path, "Tags: brand-new, listening", "Tags: testing")
    site.rebuild_and_compare()


def test_a_series_renumbered_and_moved(site):
    site.edit(site.essay_path("second-1"), "Series_index: 1", "Series_index: 4")
    site.rebuild_and_compare()
    path = site.essay_path("third-2")
    # Into the part left free: two published parts 2 would stop the build.
    site.edit(path, "Series: Third Course", "Series: Second Course")
    site.edit(path, "Series_index: 2", "Series_index: 1")
    site.rebuild_and_compare()


def test_an_essay_added_and_deleted(site):
    site.write_essay("added", month=7, series="Third Course", index=5)
    site.rebuild_and_compare()
    assert (site.output / "added" / "index.html").exists()
    site.essay_path("third-1").unlink()
    site.rebuild_and_compare()


def test_a_draft_published(site):
    site.edit(site.essay_path("upcoming"), "Status: draft\n", "")
    site.rebuild_and_compare()
    assert (site.output / "upcoming" / "index.html").exists()


def test_a_template_edited(site):
    template = site.theme / "templates" / "partials" / "series_parts.html"
    site.edit(template, 'class="series-parts"', 'class="series-parts edited-box"')
    site.rebuild_and_compare()
    assert "edited-box" in (site.output / "second-2" / "index.html").read_text()


def test_a_setting_changed(site):
    site.settings = ["-e", 'SITESUBTITLE="A changed subtitle"']
    site.rebuild_and_compare()
    site.settings = []
    site.rebuild_and_compare()


def test_a_plugin_source_changed(site):
    reading_time = site.plugins / "reading_time" / "reading_time.py"
    site.edit(reading_time, "max(1, math.ceil", "max(7, math.ceil")
    site.rebuild_and_compare()
    assert "7 min read" in (site.output / "index.html").read_text()


def test_an_output_file_changed_or_deleted_by_hand(site):
    page = site.output / "second-2" / "index.html"
    page.write_text(page.read_text("utf-8").replace("<h1>", "<h1>HAND "), "utf-8")
    feed = next((site.output / "feeds" / "series").glob("*.atom.xml"))
    feed.unlink()
    listing = site.output / "archives" / "index.html"
    listing.write_text("", "utf-8")
    site.rebuild_and_compare()
    assert "HAND" not in page.read_text("utf-8")
    assert feed.exists()


def test_a_build_with_warnings_is_not_a_base_for_skipping(site):
    """A warning during writing (a link to a file that is not content) is
    shown by every build until it is fixed: nothing is skipped after it."""
    path = site.essay_path("second-3")
    # A file that exists (so content_check lets the build go on), and that
    # Pelican cannot link to: it warns while writing.
    (site.content / "essays" / "nowhere.txt").write_text("notes", "utf-8")
    site.edit(path, "with a list:", "with [a link]({filename}/essays/nowhere.txt):")
    site.settings = []
    # Warnings are not fatal here: the devserver's case.
    site.warm(fatal_warnings=False)
    assert site.record()["clean"] is False
    site.warm(fatal_warnings=False)
    assert site.record()["skipped"] == 0
    site.edit(path, "[a link]({filename}/essays/nowhere.txt)", "a list")
    site.rebuild_and_compare()


def test_a_corrupt_or_foreign_record_means_writing_everything(site):
    record = site.cache / RECORD
    record.write_text("{not json", "utf-8")
    site.rebuild_and_compare()
    assert site.record()["skipped"] == 0
    data = site.record()
    data["build"] = "another build"
    record.write_text(json.dumps(data), "utf-8")
    site.rebuild_and_compare()
    assert site.record()["skipped"] == 0
    assert site.rebuild_and_compare()["skipped"] > 0


def test_a_cold_build_uses_pelicans_own_writer(site, tmp_path):
    """--ignore-cache (and publishconf.py's LOAD_CONTENT_CACHE = False): the
    plugin steps aside, writes no record and skips nothing."""
    cache = tmp_path / "cache"
    build(
        tmp_path / "output",
        content=site.content,
        cache_path=cache,
        extra=site.extra(),
    )
    assert (cache / "cache_guard.json").exists()
    assert not (cache / RECORD).exists()


def test_the_record_is_written_atomically(site):
    site.rebuild_and_compare()
    leftovers = [p for p in os.listdir(site.cache) if p.endswith(".tmp")]
    assert leftovers == []


def test_feeds_written_by_a_forked_process_are_recorded(tmp_path):
    """plugins/parallel_build writes the feeds in a child process on a cold
    build: their keys still reach the record, and the next build skips them."""
    site = Site(tmp_path)
    site.settings = ["-e", 'PARALLEL_BUILD={"processes": 2, "min_essays": 1}']
    site.warm()  # no cache yet: a cold build, essays read in parallel
    outputs = site.record()["outputs"]
    feeds = [name for name in outputs if name.startswith("feeds/")]
    assert "feeds/all.atom.xml" in feeds and len(feeds) > 4
    assert not list(site.cache.glob("*.part"))
    record = site.rebuild_and_compare()
    assert record["skipped"] == len(record["outputs"])
