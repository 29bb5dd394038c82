"""The search index built while Pelican writes the site, not after it.

Each HTML file is handed to a Pagefind service process as soon as Pelican has
written it, so Pagefind reads and parses the pages on another CPU while this
process renders the next ones; at the end of the build only the index files
are left to write.

The result must be the index `pagefind --site OUTPUT` would make of the
finished folder, so the end of the build checks that claim before writing:
every HTML file in the folder must have been handed over, unchanged since
(same size, modification time and inode); files written by other means (a
static copy, a plugin's own writes) are handed over then. A file handed over
that was rewritten or removed afterwards cannot be taken back out of the
service's index: the caller then indexes the folder with the CLI instead.

Pages are handed over by path: an `AddDir` request whose glob is the page's
own path, so Pagefind reads the file itself, exactly as its CLI would. A path
with characters that mean something in a glob is sent with its contents
instead (`AddFile`).
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .service import PagefindError, PagefindService

# Characters that never mean anything in Pagefind's globs (the wax crate's).
_PLAIN_PATH = re.compile(r"[\w ./-]+")


class IndexOutOfDate(Exception):
    """A page changed after it was handed over: index the folder afresh."""


@dataclass(frozen=True)
class _Handed:
    signature: tuple[int, int, int]
    message_id: int


def _signature(stat: os.stat_result) -> tuple[int, int, int]:
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


class StreamedIndex:
    """One build's index: pages handed over as written, the files at the end."""

    def __init__(self, executable: Path, output: Path, bundle: Path):
        self.executable = executable
        self.output = os.path.abspath(output)
        self.bundle = bundle
        self.pid = os.getpid()
        self._service: PagefindService | None = None
        self._index_id: int | None = None
        self._handed: dict[str, _Handed] = {}
        self._failure: Exception | None = None

    # --- during the build -----------------------------------------------------

    def page_written(self, path: str, timeout: float) -> None:
        """content_written: hand an HTML file over (other files are not indexed)."""
        # A forked process (plugins/parallel_build) writes too: its files
        # are found at the end, like any file this process did not see.
        if os.getpid() != self.pid or not path.endswith(".html") or self._failure:
            return
        relative = os.path.relpath(os.path.abspath(path), self.output)
        if relative.startswith(".."):
            return
        relative = Path(relative).as_posix()
        if relative in self._handed:
            # Written twice: the first version may be in the index already.
            self._failure = IndexOutOfDate(f"{relative} was written twice")
            return
        try:
            self._hand_over([relative], timeout)
        except (OSError, PagefindError) as error:
            self._failure = error

    def close(self) -> None:
        if self._service:
            self._service.close()
            self._service = None

    # --- at the end -----------------------------------------------------------

    def write(self, timeout: float) -> int:
        """Check the folder, hand over what is missing, write the index files.

        Returns the number of files handed over; raises IndexOutOfDate,
        PagefindError, OSError (no binary) or TimeoutError.
        """
        if self._failure:
            raise self._failure
        on_disk = self._html_files()
        for relative, handed in self._handed.items():
            if on_disk.get(relative) != handed.signature:
                raise IndexOutOfDate(f"{relative} changed after it was indexed")
        self._hand_over([r for r in sorted(on_disk) if r not in self._handed], timeout)
        deadline = time.monotonic() + timeout
        for relative, handed in self._handed.items():
            response = self._service.response(
                handed.message_id, deadline - time.monotonic()
            )
            # An AddDir request that found no file: not indexed as the CLI would.
            if response.get("type") == "IndexedDir" and response["page_count"] != 1:
                raise IndexOutOfDate(f"Pagefind did not find {relative}")
        self._service.request(
            {
                "type": "WriteFiles",
                "index_id": self._index_id,
                "output_path": str(self.bundle),
            },
            timeout,
        )
        return len(self._handed)

    # --- helpers --------------------------------------------------------------

    def _start(self, timeout: float) -> None:
        # Started at the first page, not earlier: a process forked before it
        # (plugins/parallel_build) then holds none of its pipes.
        self._service = PagefindService(self.executable, cwd=Path.cwd())
        response = self._service.request({"type": "NewIndex", "config": None}, timeout)
        self._index_id = response["index_id"]

    def _hand_over(self, relatives: list[str], timeout: float) -> None:
        if relatives and self._service is None:
            self._start(timeout)
        for relative in relatives:
            path = os.path.join(self.output, relative)
            signature = _signature(os.stat(path))
            if _PLAIN_PATH.fullmatch(relative):
                request = {"type": "AddDir", "path": self.output, "glob": relative}
            else:
                with open(path, encoding="utf-8") as file:
                    contents = file.read()
                request = {
                    "type": "AddFile",
                    "file_path": relative,
                    "url": None,
                    "file_contents": contents,
                }
            message_id = self._service.send({**request, "index_id": self._index_id})
            self._handed[relative] = _Handed(signature, message_id)

    def _html_files(self) -> dict[str, tuple[int, int, int]]:
        """Every *.html file under the output folder, as Pagefind's CLI globs it."""
        found = {}
        for folder, _, names in os.walk(self.output):
            for name in names:
                if name.endswith(".html"):
                    path = os.path.join(folder, name)
                    relative = Path(os.path.relpath(path, self.output)).as_posix()
                    found[relative] = _signature(os.stat(path))
        return found
