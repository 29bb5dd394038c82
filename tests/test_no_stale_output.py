"""No stale output: a warm build after any kind of change writes what a cold
build of the same tree writes, byte for byte, every file.

One project copy is built warm (`make html`'s command: the content cache
kept between builds) once, then each test makes one kind of change to it,
builds it warm again and compares the whole output folder with a cold build
(`--ignore-cache`, fresh cache and output) of the tree as it is then. The
tests run in order on the same copy, each warm build following the last, as
an author's builds do.

Volatile parts, masked (the same in both builds, or not compared):
- sitemap.xml's <lastmod> of the listings: the time of the build;
- Pagefind's filter and metadata files (named after a hash of their content,
  which differs from run to run for the same pages) and the entry file that
  names them: only their number is compared. Its fragments and index chunks
  are compared byte for byte.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sitebuild import project_copy

LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")
PAGEFIND_HASHED = re.compile(r"^pagefind/(filter/.*\.pf_filter|pagefind\..*\.pf_meta)$")
PAGEFIND_ENTRY = "pagefind/pagefind-entry.json"

# A function in JINJA_GLOBALS whose result comes from a data file: a notice on
# every page (the issue's own example).
NOTICE_SETTINGS = """

def site_notice():
    from pathlib import Path

    return Path(__file__).with_name("notice.txt").read_text("utf-8").strip()


JINJA_GLOBALS = {"site_notice": site_notice}
"""

# A plugin that changes what the Markdown reader makes (and so what the
# content cache holds): its code is edited by one test.
HOUSE_STYLE_PLUGIN = '''
"""Test plugin: writes "blah" in the house style, at read time."""

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from pelican import signals

HOUSE_WORD = "blah-v1"


class HouseStyle(Preprocessor):
    def run(self, lines):
        return [line.replace("blah", HOUSE_WORD) for line in lines]


class HouseStyleExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802
        md.preprocessors.register(HouseStyle(md), "house_style", 5)


def add_extension(pelican):
    pelican.settings["MARKDOWN"].setdefault("extensions", []).append(
        HouseStyleExtension()
    )


def register():
    signals.initialized.connect(add_extension)
'''


class Tree:
    """A project copy with a warm build kept beside it."""

    def __init__(self, root: Path, scratch: Path) -> None:
        self.root = root
        self.scratch = scratch
        self.output = root / "output"
        self.cache = root / "cache"
        self.colds = 0

    def pelican(self, output: Path, cache: Path, *options: str) -> None:
        command = [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-o",
            str(output),
            "-s",
            "pelicanconf.py",
            "--cache-path",
            str(cache),
            "--fatal",
            "warnings",
            "--log-handler",
            "plain",
            *options,
        ]
        result = subprocess.run(
            command, cwd=self.root, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"build failed:\n{result.stdout}{result.stderr}"

    def warm(self) -> None:
        self.pelican(self.output, self.cache)

    def cold(self) -> Path:
        self.colds += 1
        output = self.scratch / f"cold-{self.colds}"
        cache = self.scratch / f"cold-{self.colds}-cache"
        self.pelican(output, cache, "--ignore-cache")
        return output

    def file(self, relative: str) -> Path:
        return self.root / relative

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.file(relative)
        text = path.read_text("utf-8")
        assert old in text, f"{relative} no longer holds {old!r}"
        path.write_text(text.replace(old, new, 1), "utf-8")


def _files(folder: Path) -> dict[str, Path]:
    return {
        path.relative_to(folder).as_posix(): path
        for path in folder.rglob("*")
        if path.is_file()
    }


def _masked(relative: str, data: bytes) -> bytes:
    if relative == "sitemap.xml":
        return LASTMOD.sub(b"<lastmod/>", data)
    if relative == PAGEFIND_ENTRY:
        return re.sub(rb'"hash":\s*"[^"]*"', b'"hash":""', data)
    return data


def differences(warm: Path, cold: Path) -> list[str]:
    """Every way the warm output differs from the cold one, masked parts aside."""
    warm_files, cold_files = _files(warm), _files(cold)
    found = [
        f"missing after the warm build: {p}"
        for p in cold_files.keys() - warm_files.keys()
        if not PAGEFIND_HASHED.match(p)
    ]
    found += [
        f"left over by the warm build (stale): {p}"
        for p in warm_files.keys() - cold_files.keys()
        if not PAGEFIND_HASHED.match(p)
    ]
    for relative in sorted(warm_files.keys() & cold_files.keys()):
        if PAGEFIND_HASHED.match(relative):
            continue
        old = _masked(relative, warm_files[relative].read_bytes())
        new = _masked(relative, cold_files[relative].read_bytes())
        if old != new:
            found.append(f"differs from the cold build: {relative}")
    hashed = [
        sorted(p for p in files if PAGEFIND_HASHED.match(p))
        for files in (warm_files, cold_files)
    ]
    if len(hashed[0]) != len(hashed[1]):
        found.append(f"Pagefind files: {len(hashed[0])} warm, {len(hashed[1])} cold")
    return sorted(found)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Tree:
    root = project_copy(tmp_path_factory.mktemp("stale") / "site")
    for leftover in ("output", "cache"):
        shutil.rmtree(root / leftover, ignore_errors=True)
    site = Tree(root, tmp_path_factory.mktemp("stale-cold"))
    # What the tests change beyond the project's own files: a notice from
    # JINJA_GLOBALS in the footer of every page, an image, a test plugin.
    (root / "notice.txt").write_text("Notice one.\n", "utf-8")
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(NOTICE_SETTINGS)
        settings.write('\nPLUGINS = [*PLUGINS, "house_style"]\n')
    site.edit(
        "theme/templates/base.html",
        "</body>",
        '<p class="notice">{{ site_notice() }}</p>\n</body>',
    )
    (root / "plugins" / "features" / "house_style.py").write_text(
        HOUSE_STYLE_PLUGIN, "utf-8"
    )
    images = root / "content" / "images"
    images.mkdir(exist_ok=True)
    (images / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    site.warm()
    return site


def assert_no_stale_output(tree: Tree) -> None:
    tree.warm()
    found = differences(tree.output, tree.cold())
    assert not found, "\n".join(found)


ESSAY_1 = "content/essays/01-customer-disservice.md"
ESSAY_3 = "content/essays/03-what-your-customer-wants.md"
ESSAY_5 = "content/essays/05-what-is-customer-service.md"


def test_the_comparison_sees_a_stale_page(tree):
    """The comparison itself: an output file changed after the build is found."""
    page = tree.output / "customer-disservice" / "index.html"
    cold = tree.cold()
    page.write_text(page.read_text("utf-8") + "<!-- stale -->", "utf-8")
    assert differences(tree.output, cold) == [
        "differs from the cold build: customer-disservice/index.html"
    ]
    tree.warm()  # Pelican writes the page again


def test_an_essays_body(tree):
    tree.edit(ESSAY_3, "\n\n", "\n\nA sentence added to the body.\n\n")
    assert_no_stale_output(tree)


def test_an_essays_metadata(tree):
    tree.edit(
        ESSAY_1, "Title: Customer Disservice", "Title: Customer Disservice, Revised"
    )
    tree.edit(ESSAY_1, "Tags: definitions,", "Tags: revisions, definitions,")
    assert_no_stale_output(tree)


def test_a_draft_unpublished_then_published(tree):
    tree.edit(ESSAY_5, "Series_index: 5\n", "Series_index: 5\nStatus: draft\n")
    assert_no_stale_output(tree)
    tree.edit(ESSAY_5, "Status: draft\n", "")
    assert_no_stale_output(tree)


def test_an_essay_added(tree):
    text = tree.file(ESSAY_5).read_text("utf-8")
    text = text.replace("Slug: what-is-customer-service", "Slug: a-sixth-essay")
    text = re.sub(r"^Title: .*$", "Title: A Sixth Essay", text, count=1, flags=re.M)
    text = text.replace("Series_index: 5", "Series_index: 6")
    text = re.sub(r"^Date: .*$", "Date: 2026-12-01 09:00", text, count=1, flags=re.M)
    tree.file("content/essays/06-a-sixth-essay.md").write_text(text, "utf-8")
    assert_no_stale_output(tree)


def test_an_essay_renamed(tree):
    old, new = (
        tree.file("content/essays/06-a-sixth-essay.md"),
        tree.file("content/essays/06-the-sixth-essay.md"),
    )
    old.rename(new)
    tree.edit(
        new.relative_to(tree.root).as_posix(),
        "Slug: a-sixth-essay",
        "Slug: the-sixth-essay",
    )
    assert_no_stale_output(tree)


def test_an_essay_deleted(tree):
    tree.file("content/essays/06-the-sixth-essay.md").unlink()
    assert_no_stale_output(tree)


def test_a_template(tree):
    tree.edit(
        "theme/templates/base.html", '<p class="notice">', '<p class="notice site">'
    )
    assert_no_stale_output(tree)


def test_a_static_file(tree):
    path = tree.file("content/images/diagram.svg")
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>\n')
    assert_no_stale_output(tree)
    css = next(tree.file("theme/static").rglob("*.css"))
    css.write_text(css.read_text("utf-8") + "\n/* edited */\n", "utf-8")
    assert_no_stale_output(tree)


def test_a_setting(tree):
    tree.edit("pelicanconf.py", 'SITESUBTITLE = "', 'SITESUBTITLE = "Revised: ')
    assert_no_stale_output(tree)
    tree.edit("pelicanconf.py", '"words_per_minute": 200', '"words_per_minute": 20')
    assert_no_stale_output(tree)


def test_a_plugins_code(tree):
    tree.edit("plugins/features/house_style.py", '"blah-v1"', '"blah-v2"')
    assert_no_stale_output(tree)


def test_a_jinja_globals_functions_data(tree):
    tree.file("notice.txt").write_text("Notice two.\n", "utf-8")
    assert_no_stale_output(tree)


def test_a_series_change(tree):
    tree.edit(ESSAY_3, "Series_index: 3", "Series_index: 4")
    tree.edit(
        "content/essays/04-customer-service-and-customer-attention.md",
        "Series_index: 4",
        "Series_index: 3",
    )
    assert_no_stale_output(tree)
    tree.edit(
        ESSAY_1,
        "Series: Understanding Customer Service",
        "Series: Customer Service Basics",
    )
    assert_no_stale_output(tree)
