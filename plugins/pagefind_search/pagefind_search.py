"""Run Pagefind over the output folder once the build has written it.

One CLI call indexes the whole folder. Pagefind's Python API would do the
same with add_directory, but its response loop sleeps about 100 ms per call,
and the CLI needs no event loop inside Pelican's process.

Only elements marked `data-pagefind-body` are indexed (the essay body, the
quick-reference list); pages without one (listings, drafts) are left out.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"


def pagefind_executable() -> Path:
    # The binary comes from the pagefind_bin_extended wheel (pagefind[extended]).
    from pagefind_bin_extended import get_executable

    return get_executable()


def index_site(pelican) -> None:
    output = Path(pelican.output_path)
    if not output.is_dir():
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
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
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
    signals.finalized.connect(index_site)
