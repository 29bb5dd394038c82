"""Run Pagefind over the output folder, starting as soon as the pages it
indexes are written.

Only elements marked `data-pagefind-body` are indexed: the published essays'
bodies and the quick-reference list (plugins/features/checklists writes that page
before the essays). So once the articles generator has written the essays,
every page of the index is on disk, and one Pagefind CLI run starts then, in
the background, while Pelican writes the listings, the other pages and the
static files; `finalized` waits for it. On a cold build of 1,000 essays the
listings are a fair part of the writing, and Pagefind the largest single
cost of the build (bench/build.py).

Listings written while Pagefind reads the folder have no `data-pagefind-body`,
so Pagefind leaves them out however much of them it reads. That holds only
while some page with one is on disk (without any, Pagefind indexes every page,
listings half-written too): the early start waits for one, and a site without
(no essay published yet, no quick reference) is indexed at `finalized`, as a
whole. Should a page with one be written after the start (a theme marking
another template, say), `finalized` indexes the finished folder again, so the
index always matches the site. Both checks cover what Pelican's writer writes
(content_written); a static .html file copied after the start is not checked.

One CLI run indexes the whole folder. Pagefind's Python API would do the
same with add_directory, but its response loop sleeps about 100 ms per call,
and the CLI needs no event loop inside Pelican's process. Handing each page
to a `pagefind --service` process as Pelican writes it was built and
measured (this plugin's history): on the 2-CPU machine it was no faster cold
(1.01x) and slower after a one-essay edit (1.12x).

PAGEFIND_SEARCH = {"build_index": False} builds no index: the devserver
(authoring/devserver.py) indexes after each build itself, after the reload.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import subprocess
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator

from plugins.machinery import plugin_settings

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
TIMEOUT = 600  # seconds: a limit for a stuck Pagefind, never reached normally
INDEXED_MARK = b"data-pagefind-body"


def pagefind_executable() -> Path:
    """Pagefind's own lookup: $PAGEFIND_BINARY_PATH, else the binary of the
    pagefind_bin_extended wheel (pagefind[extended]), else one on PATH."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None or not Path(executable).is_file():
        raise FileNotFoundError(f"not found: {executable or 'pagefind'}")
    return Path(executable)


class IndexRun:
    """One Pagefind CLI run over an output folder, started in the background."""

    def __init__(self, executable: Path, output: Path) -> None:
        # Pagefind never deletes what an earlier run wrote (fragments of
        # pages since changed or gone): each run writes a folder of its own,
        # which replaces the bundle once the run has succeeded.
        self.bundle = output / BUNDLE_DIR
        self.staging = output / f"{BUNDLE_DIR}.next"
        shutil.rmtree(self.staging, ignore_errors=True)
        self.process = subprocess.Popen(
            [
                str(executable),
                "--site",
                str(output),
                "--output-path",
                str(self.staging),
                "--quiet",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(self) -> bool:
        """Wait for the run; report a failure; True when it succeeded."""
        try:
            stdout, stderr = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            logger.error(
                "pagefind_search: Pagefind did not finish within %d s", TIMEOUT
            )
            return False
        if self.process.returncode != 0:
            logger.error(
                "pagefind_search: Pagefind failed (%s):\n%s%s",
                self.process.returncode,
                stdout,
                stderr,
            )
            return False
        shutil.rmtree(self.bundle, ignore_errors=True)
        self.staging.rename(self.bundle)
        return True

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


class BuildIndex:
    """The index of one build of an output folder."""

    def __init__(self, output: Path) -> None:
        self.output = output
        # A page with data-pagefind-body on disk before the start: without
        # one, Pagefind would index every page, listings half-written too.
        self.indexed_page_written = False
        self.started = False
        self.run: IndexRun | None = None  # None once started: no binary
        self.indexed_page_written_after_start = False

    def start(self) -> None:
        self.started = True
        logger.debug("pagefind_search: indexing in the background from here")
        self.run = start_run(self.output)

    def page_written(self, path: Path) -> None:
        if self.indexed_page_written_after_start:
            return
        if not self.started and self.indexed_page_written:
            return
        if INDEXED_MARK not in path.read_bytes():
            return
        if self.started:
            self.indexed_page_written_after_start = True
        else:
            self.indexed_page_written = True

    def stop(self) -> None:
        if self.run is not None:
            self.run.stop()


# The index of the build going on for each output folder. A build that
# stopped with an error never reached `finalized`: its run is stopped when
# the next build of the same folder begins, or at exit.
_builds: dict[Path, BuildIndex] = {}


@atexit.register
def _stop_all_runs() -> None:
    for build in _builds.values():
        build.stop()


def start_run(output: Path) -> IndexRun | None:
    """A run over `output`, or None (and an error) without a Pagefind binary."""
    try:
        executable = pagefind_executable()
    except (ImportError, FileNotFoundError) as error:
        logger.error("pagefind_search: no Pagefind binary (%s); search is off", error)
        return None
    return IndexRun(executable, output)


def index_once_essays_are_written(generators) -> None:
    """all_generators_finalized: the articles generator starts the index
    right after writing the essays (before its listings)."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator) and _builds_index(generator):
            output = Path(generator.output_path)
            previous = _builds.pop(output, None)
            if previous is not None:
                previous.stop()
            _builds[output] = build = BuildIndex(output)
            generator.generate_articles = partial(
                _articles_then_index, build, generator.generate_articles
            )


def _articles_then_index(build: BuildIndex, generate_articles, write) -> None:
    generate_articles(write)
    if build.indexed_page_written:
        build.start()
    else:
        logger.debug("pagefind_search: no indexed page yet; indexing at the end")


def note_indexed_page(path, context) -> None:
    """content_written: whether a page with an indexed part is on disk before
    the start, and whether one was written after it (and so perhaps read
    half-written, or not at all)."""
    if not str(path).endswith(".html"):
        return
    for output, build in _builds.items():
        if Path(path).is_relative_to(output):
            build.page_written(Path(path))


def index_site(pelican) -> None:
    """finalized: the index is complete when the build is."""
    if not _builds_index(pelican):
        return
    output = Path(pelican.output_path)
    build = _builds.get(output)
    try:
        if build is not None and build.started:
            if build.run is None or not build.run.finish():
                return  # reported already
            if not build.indexed_page_written_after_start:
                _report(output)
                return
            logger.info(
                "pagefind_search: a page with data-pagefind-body was written "
                "after the index started; indexing the finished site again"
            )
        if not output.is_dir():
            return
        run = start_run(output)
        if run is not None:
            try:
                if run.finish():
                    _report(output)
            finally:
                run.stop()
    finally:
        if build is not None:
            build.stop()
            _builds.pop(output, None)


def _builds_index(holder) -> bool:
    return holder.settings["PAGEFIND_SEARCH"]["build_index"]


def _report(output: Path) -> None:
    logger.info('Writing "%s" (Pagefind search index)', output / BUNDLE_DIR)


def register() -> None:
    plugin_settings.register()
    signals.all_generators_finalized.connect(index_once_essays_are_written)
    signals.content_written.connect(note_indexed_page)
    signals.finalized.connect(index_site)
