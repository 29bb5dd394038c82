"""`make devserver`: a real server on a project copy, a real browser, real edits."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import watchfiles

from authoring.devserver import DEVSERVER_SETTINGS
from tests.authoring_content import essay
from tests.browser import open_search
from tests.not_found import assert_the_sites_404_page
from tests.sitebuild import PROJECT, make_argv, run_module

TIMEOUT = 60  # seconds; a limit for waiting, never a measured time
MARKER_PLUGIN = """
from pelican import signals
from pelican.readers import MarkdownReader


class MarkedReader(MarkdownReader):
    def read(self, source_path):
        content, metadata = super().read(source_path)
        return content + '<p class="marker">plugin-{version}</p>', metadata


def add_reader(readers):
    readers.reader_classes["md"] = MarkedReader


def register():
    signals.readers_init.connect(add_reader)
"""


@dataclass
class Output:
    """A process's output lines, as they come, each with the time it arrived
    (time.perf_counter()); waiting on them wakes on each."""

    lines: list[str] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)
    new_line: threading.Condition = field(default_factory=threading.Condition)
    ended: bool = False

    def read(self, stream) -> None:
        for line in stream:
            with self.new_line:
                self.lines.append(line.rstrip("\n"))
                self.arrived.append(time.perf_counter())
                self.new_line.notify_all()
        with self.new_line:
            self.ended = True
            self.new_line.notify_all()

    def index(self, pattern: str, after: int, within: float) -> int | None:
        """The index of the first line from `after` on that matches, once there."""
        found: list[int] = []

        def seen() -> bool:
            for number in range(after, len(self.lines)):
                if re.search(pattern, self.lines[number]):
                    found.append(number)
                    return True
            return self.ended

        with self.new_line:
            self.new_line.wait_for(seen, timeout=within)
        return found[0] if found else None

    def matching(self, pattern: str, after: int, within: float) -> re.Match | None:
        """The first line from index `after` on that matches, once there."""
        number = self.index(pattern, after, within)
        return None if number is None else re.search(pattern, self.lines[number])


@dataclass
class Devserver:
    process: subprocess.Popen
    root: Path
    output: Output = field(default_factory=Output)
    url: str = ""

    @property
    def lines(self) -> list[str]:
        return self.output.lines

    def wait_for(self, pattern: str, after: int = 0) -> re.Match:
        """The first output line from index `after` on that matches."""
        match = self.output.matching(pattern, after, TIMEOUT)
        if match is None:
            raise AssertionError(
                f"no line matching {pattern!r}:\n" + "\n".join(self.lines)
            )
        return match

    def open(self, page, path: str) -> None:
        """Open a page and wait until its live-reload connection is up."""
        before = len(self.lines)
        page.goto(self.url + path)
        self.wait_for(r"devserver: browser connected", after=before)
        page.evaluate("window.notReloaded = true")

    def edit(self, relative: str, change: Callable[[str], str]) -> None:
        path = self.root / relative
        path.write_text(change(path.read_text("utf-8")), encoding="utf-8")


def launch(
    root: Path,
    env: dict[str, str] | None = None,
    new_session: bool = False,
    marker_code: str = "",
    options: tuple[str, ...] = (),
) -> Iterator[Devserver]:
    """A devserver on a copy of the project in `root` (with a marker plugin,
    `marker_code` appended to it)."""
    for name in ("content", "theme", "plugins"):
        shutil.copytree(
            PROJECT / name, root / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(PROJECT / "pelicanconf.py", root / "pelicanconf.py")
    (root / "plugins" / "features" / "marker").mkdir()
    (root / "plugins" / "features" / "marker" / "__init__.py").write_text(
        MARKER_PLUGIN.format(version="one") + marker_code, encoding="utf-8"
    )
    settings = root / "pelicanconf.py"
    settings.write_text(
        settings.read_text("utf-8") + '\nPLUGINS = [*PLUGINS, "marker"]\n', "utf-8"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "authoring", "devserver", "--port", "0", *options],
        cwd=root,
        env={
            **os.environ,
            "PYTHONPATH": str(PROJECT),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=new_session,  # its own group, as a terminal's job
    )
    server = Devserver(process, root)
    threading.Thread(
        target=server.output.read, args=(process.stdout,), daemon=True
    ).start()
    try:
        server.url = server.wait_for(r"serving (http://127\.0\.0\.1:\d+)/")[1]
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def devserver(tmp_path_factory) -> Iterator[Devserver]:
    yield from launch(tmp_path_factory.mktemp("project"))


def text_appears(page, text: str) -> None:
    page.wait_for_function(
        "text => document.body && document.body.innerText.includes(text)",
        arg=text,
        timeout=TIMEOUT * 1000,
    )


def test_a_missing_address_gets_the_sites_404_page(devserver, page):
    assert_the_sites_404_page(page, devserver.url)


def test_pages_carry_an_external_livereload_script_only(devserver):
    html = urllib.request.urlopen(devserver.url + "/customer-disservice/").read()
    html = html.decode("utf-8")
    assert '<script src="/livereload.js" defer></script></head>' in html
    # Inline scripts: none (JSON-LD data aside, which is not run).
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert [tag for tag in inline if "application/ld+json" not in tag] == []
    script = urllib.request.urlopen(devserver.url + "/livereload.js")
    assert script.headers["Content-Type"] == "application/javascript"


def test_saving_an_essay_reloads_the_page_with_the_new_text(devserver, page):
    devserver.open(page, "/customer-disservice/")
    assert "Freshly saved sentence." not in page.inner_text("main")
    devserver.edit(
        "content/essays/01-customer-disservice.md",
        lambda text: text + "\nFreshly saved sentence.\n",
    )
    text_appears(page, "Freshly saved sentence.")
    assert page.evaluate("window.notReloaded") is None  # a real reload


def test_a_changed_plugin_is_used_by_the_next_build(devserver, page):
    devserver.open(page, "/what-is-customer-service/")
    assert page.inner_text("p.marker") == "plugin-one"
    devserver.edit(
        "plugins/features/marker/__init__.py",
        lambda text: text.replace("plugin-one", "plugin-two"),
    )
    text_appears(page, "plugin-two")
    assert page.evaluate("window.notReloaded") is None


def test_a_changed_setting_rebuilds_and_reloads(devserver, page):
    devserver.open(page, "/")
    devserver.edit(
        "pelicanconf.py", lambda text: text + '\nSITESUBTITLE = "A renamed course"\n'
    )
    page.wait_for_function(
        "() => document.querySelector('meta[name=description]')"
        ".content.startsWith('A renamed course')",
        timeout=TIMEOUT * 1000,
    )


NOTICE = "getComputedStyle(document.body, '::before').content"


def notice_shows(page, text: str) -> None:
    """The failed build's notice on top of the page (a reload brings it)."""
    page.wait_for_function(
        f"text => window.notReloaded === undefined && {NOTICE}.includes(text)",
        arg=text,
        timeout=TIMEOUT * 1000,
    )


def notice_gone(page) -> None:
    page.wait_for_function(
        f"() => window.notReloaded === undefined && {NOTICE} === 'none'",
        timeout=TIMEOUT * 1000,
    )


def test_a_failed_build_keeps_the_last_site_and_recovers(devserver, page):
    devserver.open(page, "/about/")
    before = len(devserver.lines)
    devserver.edit("pelicanconf.py", lambda text: text + "\nTHIS IS NOT PYTHON\n")
    devserver.wait_for(r"devserver: the build failed", after=before)
    assert urllib.request.urlopen(devserver.url + "/about/").status == 200
    # No content_check line to show: the notice sends the author to the terminal.
    notice_shows(page, "The build failed (exit 1): the reason is in the")
    assert "About" in page.inner_text("main")  # the last good page, below it
    page.evaluate("window.notReloaded = true")
    devserver.edit(
        "pelicanconf.py", lambda text: text.replace("\nTHIS IS NOT PYTHON\n", "")
    )
    notice_gone(page)


def test_a_content_error_is_on_every_page_until_it_is_fixed(devserver, page):
    essay = "content/essays/05-what-is-customer-service.md"
    error = f"{essay}:2: error: Date '2026-02-30 09:00' is not a real date"
    devserver.open(page, "/customer-disservice/")
    before = len(devserver.lines)
    date = re.compile(r"(?m)^Date: (.*)$")
    good = date.search((devserver.root / essay).read_text("utf-8"))[1]
    devserver.edit(essay, lambda text: date.sub("Date: 2026-02-30 09:00", text))
    # In the terminal, as `make check` prints it; then on the page.
    devserver.wait_for(re.escape(error), after=before)
    devserver.wait_for(r"devserver: the build failed", after=before)
    notice_shows(page, error)
    assert "Traceback" not in "\n".join(devserver.lines[before:])
    # Every page: the last good site with the notice on top.
    devserver.open(page, "/what-is-customer-service/")
    assert error in page.evaluate(NOTICE)
    assert "What is Customer Service?" in page.inner_text("main")
    # The notice is a stylesheet of the devserver's: no inline style or script.
    html = urllib.request.urlopen(devserver.url + "/about/").read().decode()
    assert '<link rel="stylesheet" href="/devserver-problems.css">' in html
    assert "style=" not in html
    page.evaluate("window.notReloaded = true")
    devserver.edit(essay, lambda text: date.sub(f"Date: {good}", text, count=1))
    notice_gone(page)
    assert "What is Customer Service?" in page.inner_text("main")


def test_a_stylesheet_change_is_applied_without_a_reload(devserver, page):
    devserver.open(page, "/about/")
    devserver.edit(
        "theme/static/css/site.css",
        lambda text: text + "\nmain { outline: 3px solid rgb(1, 2, 3); }\n",
    )
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('main')).outlineColor"
        " === 'rgb(1, 2, 3)'",
        timeout=TIMEOUT * 1000,
    )
    assert page.evaluate("window.notReloaded") is True


def test_a_new_draft_is_served_under_drafts_with_its_banner(devserver, page):
    before = len(devserver.lines)
    (devserver.root / "content" / "essays" / "06-new.md").write_text(
        "Title: A New Draft\nDate: 2026-12-01 09:00\nSlug: a-new-draft\n"
        "Status: draft\n\nWork in progress.\n",
        encoding="utf-8",
    )
    devserver.wait_for(r"devserver: built in", after=before)
    page.goto(devserver.url + "/drafts/a-new-draft/")
    assert page.locator("aside.draft-banner").is_visible()
    assert "Work in progress." in page.inner_text("main")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_devserver_serves_the_site_drafts_and_scheduled_essays(tmp_path):
    content = shutil.copytree(PROJECT / "content", tmp_path / "content")
    (content / "essays" / "06-later.md").write_text(
        essay("Later", "later", 6, "2999-01-01 09:00"), "utf-8"
    )
    (content / "essays" / "07-unready.md").write_text(
        essay("Unready", "unready", 7, extra="Status: draft\n"), "utf-8"
    )
    port = free_port()
    process = subprocess.Popen(
        make_argv(
            "--no-print-directory",
            "devserver",
            f"PORT={port}",
            f"INPUTDIR={content}",
            f"OUTPUTDIR={tmp_path / 'output'}",
            f"PELICANOPTS=--cache-path {tmp_path / 'cache'}",
        ),
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # make and its devserver: one group to stop
    )
    server = Devserver(process, tmp_path)
    threading.Thread(
        target=server.output.read, args=(process.stdout,), daemon=True
    ).start()
    try:
        server.wait_for(rf"devserver: serving http://127\.0\.0\.1:{port}/")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            html = response.read().decode("utf-8")
        assert "Customer Disservice" in html
        assert '<script src="/livereload.js" defer></script>' in html
        assert (tmp_path / "output" / "index.html").is_file()
        assert (tmp_path / "cache" / "cache_guard.json").is_file()
        site = f"http://127.0.0.1:{port}/"
        for slug in ("later", "unready"):
            server.wait_for(rf"devserver: draft: {site}drafts/{slug}/")
        with urllib.request.urlopen(f"{site}drafts/later/") as response:
            later = response.read().decode("utf-8")
        assert "<strong>Scheduled for 1 January 2999.</strong>" in later
        assert "Later" not in html  # not listed as published
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def pelican_children_of(pid: int) -> list[int]:
    """The process's `python -m pelican` children, from any of its threads
    (not the Pagefind run the devserver may have going)."""
    children = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
    found = []
    for child in children:
        with contextlib.suppress(FileNotFoundError):  # ended meanwhile
            if b"pelican" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
    return found


def gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped counts as ended)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return status.rpartition(")")[2].split()[0] == "Z"


def test_ctrl_c_during_a_build_stops_everything_and_builds_nothing_more(tmp_path):
    """Ctrl-C in a terminal reaches the whole job: the devserver and the
    build running then; nothing is built after it."""
    launched = launch(tmp_path / "project", new_session=True)
    server = next(launched)
    try:
        pid = server.process.pid
        before = len(server.lines)
        # A plugin that says it has started, then waits for a signal: the
        # next build is still going on when Ctrl-C comes. Saved again until
        # the devserver sees it (its watch may start a moment after it says
        # it is serving).
        plugin = server.root / "plugins" / "features" / "marker" / "__init__.py"
        waiting = (
            "import signal\n"
            "print('marker: waiting for Ctrl-C', flush=True)\n"
            "signal.pause()\n"
        )
        slow = waiting + plugin.read_text("utf-8")
        deadline = time.monotonic() + TIMEOUT
        while not server.output.matching(r"devserver: changed: ", before, within=1):
            assert time.monotonic() < deadline, "\n".join(server.lines)
            plugin.write_text(slow, "utf-8")
        server.wait_for(r"marker: waiting for Ctrl-C", after=before)
        (build,) = pelican_children_of(pid)
        os.killpg(pid, signal.SIGINT)
        assert server.process.wait(timeout=30) == 0
        server.wait_for(r"devserver: stopped", after=before)
        assert not any("built in" in line for line in server.lines[before:])
        assert gone(build)
    finally:
        launched.close()


def test_a_busy_port_is_one_clear_line_and_no_build(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_module(
            "authoring",
            "devserver",
            "--port",
            str(port),
            "--output",
            str(tmp_path / "output"),
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == (
        f"devserver: error: cannot serve on 127.0.0.1:{port}: Address already in "
        "use; choose another port, e.g. make devserver PORT=8001\n"
    )
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("given", "passed"),
    [
        ([], ["-e", *DEVSERVER_SETTINGS]),
        (["--", "-v"], ["-v", "-e", *DEVSERVER_SETTINGS]),
        # Pelican keeps only the last -e: the devserver's settings join the
        # author's, before them, so that the author's values win.
        (
            ["-e", "WITH_FUTURE_DATES=true", "-v"],
            ["-e", *DEVSERVER_SETTINGS, "WITH_FUTURE_DATES=true", "-v"],
        ),
    ],
)
def test_the_authors_pelican_options_are_kept(given, passed):
    from authoring.devserver import pelican_options

    assert DEVSERVER_SETTINGS[0] == "WITH_FUTURE_DATES=false"
    assert pelican_options(given) == passed


# --- the search index, made after the reload -----------------------------------

# Pagefind held back by gate files, so that a test decides when a run starts,
# when it ends (after writing everything), and whether it fails. The
# devserver finds it through $PAGEFIND_BINARY_PATH, Pagefind's own lookup.
GATED_PAGEFIND = """#!/bin/sh
while [ -e "{gates}/before" ]; do sleep 0.02; done
if [ -e "{gates}/fail" ]; then echo "pagefind broke" >&2; exit 4; fi
"{real}" "$@"
status=$?
while [ -e "{gates}/after" ]; do sleep 0.02; done
exit $status
"""


def file_appears(path: Path, watch: Path) -> None:
    """Returns once `path` exists, woken by the file system's events in `watch`
    (watchfiles); a look at least every second also sees a file made before
    the watch began."""
    deadline = time.monotonic() + TIMEOUT
    if path.exists():
        return
    for _ in watchfiles.watch(watch, rust_timeout=1000, yield_on_timeout=True):
        if path.exists():
            return
        assert time.monotonic() < deadline, f"{path} never appeared"


@dataclass
class Gated(Devserver):
    gates: Path = Path()

    def hold(self, gate: str) -> None:
        (self.gates / gate).touch()

    def release(self, gate: str) -> None:
        (self.gates / gate).unlink()

    @property
    def bundle(self) -> Path:
        return self.root / "output" / "pagefind"


@pytest.fixture(scope="module")
def gated(tmp_path_factory) -> Iterator[Gated]:
    from plugins.features.pagefind_search.pagefind_search import pagefind_executable

    folder = tmp_path_factory.mktemp("gated")
    gates = folder / "gates"
    gates.mkdir()
    binary = folder / "pagefind"
    binary.write_text(
        GATED_PAGEFIND.format(gates=gates, real=pagefind_executable()), "utf-8"
    )
    binary.chmod(0o755)
    root = folder / "project"
    root.mkdir()
    for server in launch(root, env={"PAGEFIND_BINARY_PATH": str(binary)}):
        yield Gated(server.process, server.root, server.output, server.url, gates)


def found_by_search(page, word: str) -> list[str]:
    """Type `word` into the search box; the result links' addresses."""
    open_search(page).fill(word)
    links = page.locator(".pagefind-ui__result-link")
    links.first.wait_for(timeout=TIMEOUT * 1000)
    return [link.get_attribute("href") for link in links.all()]


def test_the_first_build_is_served_with_its_search_index(gated):
    from tests.pagefind_bundle import page_urls

    assert "/customer-disservice/" in page_urls(gated.bundle)
    # Indexed before serving: the pages load the search from the bundle.
    assert gated.lines.index(
        next(line for line in gated.lines if "search index updated" in line)
    ) < gated.lines.index(next(line for line in gated.lines if "serving" in line))


def test_the_reload_comes_before_the_index_and_search_finds_the_edit(gated, page):
    gated.open(page, "/customer-disservice/")
    before = len(gated.lines)
    gated.hold("before")  # Pagefind may not start
    gated.edit(
        "content/essays/01-customer-disservice.md",
        lambda text: text + "\nA zanzibarian sentence, freshly saved.\n",
    )
    # The page reloads with the new text while the index is not even begun.
    text_appears(page, "A zanzibarian sentence")
    assert page.evaluate("window.notReloaded") is None
    assert not any("search index" in line for line in gated.lines[before:])
    gated.release("before")
    gated.wait_for(r"devserver: search index updated in", after=before)
    # Search, in the reloaded page, finds the new word in the edited essay.
    assert found_by_search(page, "zanzibarian") == ["/customer-disservice/"]


def test_a_new_build_stops_the_index_run_and_the_last_bundle_stays(gated):
    from tests.pagefind_bundle import contents

    served = contents(gated.bundle)
    staging = gated.bundle.with_name("pagefind.next")
    before = len(gated.lines)
    gated.hold("after")  # Pagefind writes everything, then may not end
    gated.edit(
        "content/essays/05-what-is-customer-service.md",
        lambda text: text + "\nA first alphaword edit.\n",
    )
    gated.wait_for(r"devserver: built in", after=before)
    file_appears(staging / "pagefind-entry.json", watch=gated.bundle.parent)
    second = len(gated.lines)
    gated.edit(
        "content/essays/05-what-is-customer-service.md",
        lambda text: text + "\nA second betaword edit.\n",
    )
    gated.wait_for(r"devserver: search index: stopped, a new build started", second)
    gated.wait_for(r"devserver: built in", after=second)
    # The stopped run's bundle never replaced the served one.
    assert contents(gated.bundle) == served
    gated.release("after")
    gated.wait_for(r"devserver: search index updated in", after=second)
    index = contents(gated.bundle)  # decodes: every file it names is there
    assert "betaword" in index["en"]["words"]
    assert "alphaword" in index["en"]["words"]
    assert not staging.exists()
    assert not gated.bundle.with_name("pagefind.old").exists()


def test_a_failed_index_run_keeps_the_last_bundle(gated):
    from tests.pagefind_bundle import contents

    served = contents(gated.bundle)
    before = len(gated.lines)
    gated.hold("fail")
    try:
        gated.edit(
            "content/essays/03-what-your-customer-wants.md",
            lambda text: text + "\nAn unindexed gammaword edit.\n",
        )
        gated.wait_for(
            r"devserver: search index: Pagefind failed \(exit 4\): pagefind broke; "
            r"search shows the last index",
            after=before,
        )
    finally:
        gated.release("fail")
    assert contents(gated.bundle) == served
    assert not gated.bundle.with_name("pagefind.next").exists()
