"""Run Pagefind over the output folder once the build has written it.

One CLI run indexes the whole folder. Pagefind's Python API would do the
same with add_directory, but its response loop sleeps about 100 ms per call,
and the CLI needs no event loop inside Pelican's process.

Handing each page to a `pagefind --service` process as Pelican writes it, so
that Pagefind parses on the other CPU meanwhile, was built and measured (this
plugin's history): on the 2-CPU machine it was no faster cold (1.01x) and
slower after a one-essay edit (1.12x), with more CPU in all, as the build
already keeps both CPUs busy and the index files are written at the end
either way.

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

from .settings import read_settings

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
TIMEOUT = 600  # seconds: a limit for a stuck Pagefind, never reached normally


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


def index_site(pelican) -> None:
    output = Path(pelican.output_path)
    if not pelican.settings["PAGEFIND_SEARCH"]["build_index"] or not output.is_dir():
        return
    try:
        executable = pagefind_executable()
    except (ImportError, FileNotFoundError) as error:
        logger.error("pagefind_search: no Pagefind binary (%s); search is off", error)
        return
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


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.finalized.connect(index_site)
