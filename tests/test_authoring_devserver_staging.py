"""`make devserver` builds beside the served site and swaps the new one in only
when the build succeeded: a failed or a running build never takes a page away.

Plain HTTP against a real devserver on a project copy (tests/test_authoring_devserver.py
has the browser side of the failure notice); every wait is on an event.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from authoring.build_problems import STYLESHEET_URL
from tests.sitebuild import PROJECT
from tests.test_authoring_devserver import TIMEOUT, Devserver, launch

BASE = "theme/templates/base.html"
FOOTER = "<p>The essays are their authors' words.</p>"
NEW_FOOTER = "<p>A footer note, freshly staged.</p>"
# A typo as an author makes it while editing the theme: Jinja stops the build
# when Pelican loads the template to write the pages (after it has emptied
# its output folder).
TYPO = "{{ SITENAME | no_such_filter }}"
MARKER = "plugins/features/marker/__init__.py"
# Appended to the marker plugin: once Pelican has read every file (and so
# emptied its output folder), the build holds until the test opens the FIFO
# named by $MARKER_GATE for writing and closes it. One build only: it removes
# the gate, and the builds after it go through.
HOLD = """

import os as _os


def _hold(generators):
    gate = _os.environ["MARKER_GATE"]
    if not _os.path.exists(gate):
        return
    print("marker: held before writing", flush=True)
    with open(gate, encoding="utf-8") as fifo:
        fifo.read()
    _os.unlink(gate)


signals.all_generators_finalized.connect(_hold)
"""


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def served_site(server: Devserver) -> dict[str, tuple[int, bytes]]:
    """Every file of the served folder as the devserver answers it."""
    output = server.root / "output"
    urls = [
        "/" + urllib.parse.quote(path.relative_to(output).as_posix())
        for path in sorted(output.rglob("*"))
        if path.is_file()
    ]
    return {url: fetch(server.url + url) for url in urls}


def answered_again(server: Devserver, site: dict[str, tuple[int, bytes]]) -> None:
    """Every file of `site` answers 200 with the very bytes it had."""
    now = {url: fetch(server.url + url) for url in site}
    missing = [url for url, (status, _) in now.items() if status != 200]
    assert missing == [], f"{len(missing)} of {len(site)} files not served"
    changed = [url for url in site if now[url] != site[url]]
    assert changed == [], f"{len(changed)} of {len(site)} files changed"


def save_until_seen(server: Devserver, relative: str, text: str, after: int) -> None:
    """Write the file until the devserver reports the change (its watch may
    start a moment after it says it is serving)."""
    path = server.root / relative
    deadline = time.monotonic() + TIMEOUT
    while not server.output.matching(r"devserver: changed: ", after, within=1):
        assert time.monotonic() < deadline, "\n".join(server.lines)
        path.write_text(text, "utf-8")


@pytest.fixture
def devserver(tmp_path) -> Iterator[Devserver]:
    """A devserver of this test's own (a test holds or breaks its builds)."""
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    yield from launch(tmp_path / "project", env={"MARKER_GATE": str(gate)})


def open_gate(gate: Path) -> bool:
    """Let a held build go on: True if one was waiting at the gate."""
    try:
        descriptor = os.open(gate, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:  # no build is reading it
            return False
        raise
    os.close(descriptor)
    return True


def test_a_template_error_keeps_every_page_of_the_last_good_site(devserver):
    site = served_site(devserver)
    assert len(site) > 50 and all(status == 200 for status, _ in site.values())
    template = devserver.root / BASE
    good = template.read_text("utf-8")
    assert FOOTER in good
    before = len(devserver.lines)
    save_until_seen(devserver, BASE, good.replace(FOOTER, NEW_FOOTER + TYPO), before)
    # The error in the terminal, then the build reported failed.
    devserver.wait_for(r"CRITICAL TemplateAssertionError: No filter named", before)
    devserver.wait_for(r"devserver: the build failed", after=before)
    answered_again(devserver, site)
    assert not (devserver.root / "output.devserver-next").exists()
    # On the page: the notice over the last good site, naming the template
    # and its line as Jinja reports them.
    status, notice = fetch(devserver.url + STYLESHEET_URL)
    line = good[: good.index(FOOTER)].count("\n") + 1
    expected = f"{BASE}:{line}: error: No filter named 'no_such_filter'."
    assert status == 200 and expected.encode() in notice, notice
    # Fixed: the new site, the notice gone.
    fixed = len(devserver.lines)
    template.write_text(good.replace(FOOTER, NEW_FOOTER), "utf-8")
    devserver.wait_for(r"devserver: built in", after=fixed)
    for url in ("/", "/about/", "/customer-disservice/"):
        status, page = fetch(devserver.url + url)
        assert status == 200 and NEW_FOOTER.encode() in page
    assert b"succeeded" in fetch(devserver.url + STYLESHEET_URL)[1]


def test_the_last_good_site_is_served_while_a_build_runs(devserver, tmp_path):
    gate = tmp_path / "gate"
    site = served_site(devserver)
    plugin = (devserver.root / MARKER).read_text("utf-8")
    before = len(devserver.lines)
    try:
        save_until_seen(
            devserver, MARKER, plugin.replace("plugin-one", "plugin-two") + HOLD, before
        )
        devserver.wait_for(r"marker: held before writing", after=before)
        # Pelican has emptied its output folder and writes nothing until the
        # gate opens: the served site is the last good one, whole.
        answered_again(devserver, site)
        assert b"plugin-one" in site["/what-is-customer-service/index.html"][1]
        assert open_gate(gate)
        devserver.wait_for(r"devserver: built in", after=before)
    finally:
        with contextlib.suppress(OSError):
            open_gate(gate)  # a failed assertion never leaves a build held
    status, page = fetch(devserver.url + "/what-is-customer-service/")
    assert status == 200 and b"plugin-two" in page
    assert not (devserver.root / "output.devserver-next").exists()


def test_an_output_folder_holding_the_sources_is_refused(tmp_path):
    """Every build replaces the served folder whole: `--output .` (the project)
    is one clear line, before anything is built or moved. The port is busy,
    so that without the check the devserver would stop there too, harmlessly."""
    root = tmp_path / "project"
    for name in ("content", "theme", "plugins"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "pelicanconf.py", root / "pelicanconf.py")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "authoring", "devserver", "--port", port]
            + ["--output", "."],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(PROJECT)},
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    assert result.returncode == 1
    assert result.stderr == (
        f"devserver: error: the output folder {root.resolve()} holds "
        f"{(root / 'content').resolve()}, and every build replaces it whole; "
        "choose another, e.g. make devserver OUTPUTDIR=output\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["project"]


def test_a_plugin_that_raises_is_named_on_the_page_with_its_error(devserver):
    plugin = devserver.root / MARKER
    good = plugin.read_text("utf-8")
    broken = good + (
        "\n\ndef _break(generators):\n"
        "    raise RuntimeError('the marker plugin broke')\n\n\n"
        "signals.all_generators_finalized.connect(_break)\n"
    )
    before = len(devserver.lines)
    save_until_seen(devserver, MARKER, broken, before)
    devserver.wait_for(r"devserver: the build failed", after=before)
    status, notice = fetch(devserver.url + STYLESHEET_URL)
    assert status == 200
    assert b"error: RuntimeError: the marker plugin broke" in notice, notice
    fixed = len(devserver.lines)
    plugin.write_text(good, "utf-8")
    devserver.wait_for(r"devserver: built in", after=fixed)
    assert b"the marker plugin broke" not in fetch(devserver.url + STYLESHEET_URL)[1]
