"""Signal handlers: the settings, the pages as they are written, the index files.

The index is what `pagefind --site OUTPUT` makes of the finished output
folder, but it is built while Pelican writes: streamed.py hands each page to
a Pagefind service process as soon as it is written, and at the end of the
build only the index files are left to write. When the folder changed under
the streamed index (a page rewritten after it was handed over), or the
service failed, the whole folder is indexed with the CLI, as before.

Only elements marked `data-pagefind-body` are indexed (the essay body, the
quick-reference list); pages without one (listings, drafts) are left out.

PAGEFIND_SEARCH = {"build_index": False} builds no index: the devserver
(authoring/devserver.py) indexes after each build itself, after the reload.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from pelican import signals

from .service import PagefindError
from .settings import read_settings
from .streamed import IndexOutOfDate, StreamedIndex

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
TIMEOUT = 600  # seconds: a limit for a stuck Pagefind, never reached normally

# The running build's index, from all_generators_finalized to finalized. Kept
# here because content_written carries no build object; every build starts a
# new one, so nothing passes from one build to the next.
_building: StreamedIndex | None = None


def pagefind_executable() -> Path:
    """Pagefind's own lookup: $PAGEFIND_BINARY_PATH, else the binary of the
    pagefind_bin_extended wheel (pagefind[extended]), else one on PATH."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None or not Path(executable).is_file():
        raise FileNotFoundError(f"not found: {executable or 'pagefind'}")
    return Path(executable)


def check_settings(pelican) -> None:
    """initialized: stop at once on a wrong PAGEFIND_SEARCH."""
    pelican.settings["PAGEFIND_SEARCH"] = read_settings(pelican.settings)


def start_index(generators) -> None:
    """all_generators_finalized: a new index, before the first page is written."""
    global _building
    _stop_building()  # left by a build that stopped before its end
    if not generators:
        return
    settings = generators[0].settings
    if not settings["PAGEFIND_SEARCH"]["build_index"]:
        return
    try:
        executable = pagefind_executable()
    except (ImportError, FileNotFoundError):
        return  # said once, at the end of the build
    output = Path(generators[0].output_path)
    _building = StreamedIndex(executable, output, output / BUNDLE_DIR)


def page_written(path, context=None) -> None:
    """content_written: hand the page to Pagefind at once."""
    if _building is not None:
        _building.page_written(str(path), TIMEOUT)


def index_site(pelican) -> None:
    """finalized: write the index files (or index the whole folder)."""
    index = _stop_building(keep_running=True)
    try:
        _index_site(pelican, index)
    finally:
        if index:
            index.close()


def _index_site(pelican, index: StreamedIndex | None) -> None:
    output = Path(pelican.output_path)
    if not pelican.settings["PAGEFIND_SEARCH"]["build_index"] or not output.is_dir():
        return
    try:
        executable = pagefind_executable()
    except (ImportError, FileNotFoundError) as error:
        logger.error("pagefind_search: no Pagefind binary (%s); search is off", error)
        return
    if index is not None:
        try:
            pages = index.write(TIMEOUT)
        except IndexOutOfDate as reason:
            logger.info("pagefind_search: %s: indexing the whole folder again", reason)
        except (PagefindError, OSError, TimeoutError) as error:
            # Its CLI is the reference: let it try (and report) on its own.
            logger.info("pagefind_search: the Pagefind service failed (%s)", error)
        else:
            logger.info(
                'Writing "%s" (Pagefind search index, %d pages indexed as written)',
                output / BUNDLE_DIR,
                pages,
            )
            return
        index.close()
    index_with_cli(executable, output)


def index_with_cli(executable: Path, output: Path) -> None:
    """One CLI run over the whole output folder."""
    command = [
        str(executable),
        "--site",
        str(output),
        "--output-subdir",
        BUNDLE_DIR,
        "--quiet",
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        logger.error("pagefind_search: Pagefind did not finish within %d s", TIMEOUT)
        return
    if result.returncode != 0:
        logger.error(
            "pagefind_search: Pagefind failed (%s):\n%s%s",
            result.returncode,
            result.stdout,
            result.stderr,
        )
    else:
        logger.info('Writing "%s" (Pagefind search index)', output / BUNDLE_DIR)


def _stop_building(keep_running: bool = False) -> StreamedIndex | None:
    global _building
    index, _building = _building, None
    if index and not keep_running:
        index.close()
        return None
    return index


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.all_generators_finalized.connect(start_index)
    signals.content_written.connect(page_written)
    signals.finalized.connect(index_site)
