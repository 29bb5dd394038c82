"""`make devserver` shows a saved essay's page first, before the rest of the site.

A real devserver on a project copy whose builds a marker plugin holds after
the article pages are written, until the test opens a FIFO: while a build is
held, the page shown first is already served (and reloaded in a real
browser), and when the build ends it is the page the whole build wrote, byte
for byte. A build that fails after showing a page puts the last good page
back. Every wait is on an event.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_authoring_devserver import (
    Devserver,
    launch,
    pelican_children_of,
    text_appears,
)
from tests.test_authoring_devserver_staging import fetch, open_gate, save_until_seen

ESSAY = "content/essays/01-customer-disservice.md"
ESSAY_URL = "/customer-disservice/"
PAGE = "content/pages/about.md"
PAGE_URL = "/about/"
# Appended to the marker plugin: once the article pages are written, a build
# holds until the test opens the FIFO $MARKER_GATE (one build: it removes the
# gate), then fails if the file $MARKER_FAIL exists.
HOLD_AFTER_ARTICLES = """

import os as _os


def _hold(generator, writer):
    gate = _os.environ["MARKER_GATE"]
    if not _os.path.exists(gate):
        return
    print("marker: held after the articles", flush=True)
    with open(gate, encoding="utf-8") as fifo:
        fifo.read()
    _os.unlink(gate)
    if _os.path.exists(_os.environ["MARKER_FAIL"]):
        raise SystemExit("marker: this build fails after the articles")


signals.article_writer_finalized.connect(_hold)
"""


class Held(Devserver):
    gate: Path
    fail: Path

    def hold_next_build(self, failing: bool = False) -> None:
        os.mkfifo(self.gate)
        if failing:
            self.fail.write_text("", "utf-8")
        else:
            self.fail.unlink(missing_ok=True)

    def release(self, after: int) -> None:
        """Let the build held since output line `after` go on."""
        self.wait_for(r"marker: held after the articles", after=after)
        assert open_gate(self.gate), "no build was held"


@pytest.fixture
def held(tmp_path) -> Iterator[Held]:
    gate, fail = tmp_path / "gate", tmp_path / "fail"
    env = {"MARKER_GATE": str(gate), "MARKER_FAIL": str(fail)}
    root = tmp_path / "project"
    # Every build of a site this small is quick: show pages first all the same.
    options = ("--first-after", "0")
    launch_held = launch(root, env, marker_code=HOLD_AFTER_ARTICLES, options=options)
    for server in launch_held:
        server.__class__ = Held
        server.gate, server.fail = gate, fail
        yield server


def append(server: Devserver, relative: str, sentence: str) -> None:
    """Save the file with `sentence` at its end, until the devserver has seen it."""
    text = (server.root / relative).read_text("utf-8").rstrip("\n")
    save_until_seen(server, relative, f"{text}\n\n{sentence}\n", len(server.lines))


def test_the_saved_essay_is_served_while_the_rest_is_built(held):
    _, index_before = fetch(held.url + "/")
    held.hold_next_build()
    before = len(held.lines)
    append(held, ESSAY, "A sentence the author has just saved.")
    held.wait_for(r"devserver: shown first: customer-disservice/index\.html", before)
    held.wait_for(r"marker: held after the articles", after=before)
    # The build is held: the site was not replaced, yet the page is new.
    assert (held.root / "output.devserver-next").is_dir()
    status, shown = fetch(held.url + ESSAY_URL)
    assert status == 200 and b"A sentence the author has just saved." in shown
    assert fetch(held.url + "/")[1] == index_before
    held.release(before)
    held.wait_for(r"devserver: built in", after=before)
    status, built = fetch(held.url + ESSAY_URL)
    assert status == 200 and built == shown
    assert not (held.root / "output.devserver-first").exists()


def test_a_saved_page_is_shown_first_too(held):
    held.hold_next_build()
    before = len(held.lines)
    append(held, PAGE, "A line added to the about page.")
    held.wait_for(r"devserver: shown first: about/index\.html", after=before)
    status, shown = fetch(held.url + PAGE_URL)
    assert status == 200 and b"A line added to the about page." in shown
    held.release(before)
    held.wait_for(r"devserver: built in", after=before)
    assert fetch(held.url + PAGE_URL)[1] == shown


def test_the_open_page_reloads_with_the_edit_before_the_build_ends(held, page):
    held.open(page, ESSAY_URL)
    held.hold_next_build()
    before = len(held.lines)
    append(held, ESSAY, "Seen in the browser first.")
    held.wait_for(r"marker: held after the articles", after=before)
    text_appears(page, "Seen in the browser first.")
    assert page.evaluate("window.notReloaded") is None  # it was reloaded
    assert held.output.matching(r"devserver: built in", before, within=0) is None
    held.release(before)
    held.wait_for(r"devserver: built in", after=before)


def test_a_build_that_fails_after_showing_a_page_puts_the_last_good_one_back(held):
    status, good = fetch(held.url + ESSAY_URL)
    assert status == 200
    held.hold_next_build(failing=True)
    before = len(held.lines)
    append(held, ESSAY, "A sentence whose build fails.")
    held.wait_for(r"devserver: shown first: customer-disservice/", after=before)
    assert b"A sentence whose build fails." in fetch(held.url + ESSAY_URL)[1]
    held.release(before)
    held.wait_for(r"devserver: the build failed", after=before)
    assert fetch(held.url + ESSAY_URL) == (200, good)
    assert not (held.root / "output.devserver-first").exists()


def test_a_template_change_shows_no_page_first(held):
    held.hold_next_build()
    before = len(held.lines)
    base = "theme/templates/base.html"
    text = (held.root / base).read_text("utf-8")
    new = text.replace("</footer>", "<p>New.</p></footer>", 1)
    save_until_seen(held, base, new, before)
    held.wait_for(r"marker: held after the articles", after=before)
    held.release(before)
    held.wait_for(r"devserver: built in", after=before)
    assert not any("shown first" in line for line in held.lines[before:])


def test_a_site_that_builds_quickly_is_shown_whole_only(tmp_path):
    # The project's own five essays build in well under the default second.
    for server in launch(tmp_path / "project"):
        before = len(server.lines)
        append(server, ESSAY, "A sentence on a small site.")
        server.wait_for(r"devserver: built in", after=before)
        assert not any("shown first" in line for line in server.lines[before:])
        status, page = fetch(server.url + ESSAY_URL)
        assert status == 200 and b"A sentence on a small site." in page


def test_a_build_interrupted_alone_is_a_failed_build_not_a_half_site(held):
    """Pelican's main turns Ctrl-C into a normal exit (status 0): a build
    sent SIGINT by itself must not be served."""
    status, good = fetch(held.url + ESSAY_URL)
    held.hold_next_build()
    before = len(held.lines)
    append(held, ESSAY, "A sentence whose build is interrupted.")
    held.wait_for(r"marker: held after the articles", after=before)
    (build,) = pelican_children_of(held.process.pid)
    os.kill(build, signal.SIGINT)
    held.wait_for(r"devserver: the build failed \(exit 130", after=before)
    assert fetch(held.url + ESSAY_URL) == (200, good)
    assert not (held.root / "output.devserver-next").exists()
