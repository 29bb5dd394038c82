"""The search index built while Pelican writes the site, not after it.

Pelican's written pages are handed to a Pagefind service process during the
build, so Pagefind reads and parses them on another CPU while this process
renders the next ones; at the end of the build only the index files are left
to write.

Pages go over by path, in batches: an `AddDir` request whose glob lists the
pages (`{a/index.html,b/index.html}`), so Pagefind reads each file itself,
exactly as its CLI would, and parses the files of one request in parallel
(it answers one request before it reads the next). A batch is sent whenever
the last one has been answered: while Pelican renders slowly, a page goes
over as soon as it is written; when it writes faster than Pagefind reads
(pages a warm rebuild leaves alone), the pages gather into larger batches.
A path with characters that mean something in a glob is sent on its own,
with its contents (`AddFile`).

The result must be the index `pagefind --site OUTPUT` would make of the
finished folder, so the end of the build checks that claim before writing:
every HTML file in the folder must have been handed over, unchanged since
(same size, modification time and inode); files written by other means (a
static copy, a plugin's own writes) are handed over then. A file handed over
that was rewritten or removed afterwards cannot be taken back out of the
service's index: the caller then indexes the folder with the CLI instead.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from .service import PagefindError, PagefindService

# Characters that never mean anything in Pagefind's globs (the wax crate's).
_PLAIN_PATH = re.compile(r"[\w ./-]+")

Signature = tuple[int, int, int]


class IndexOutOfDate(Exception):
    """A page changed after it was handed over: index the folder afresh."""


def _signature(stat: os.stat_result) -> Signature:
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
        self._handed: dict[str, Signature] = {}  # every page, as it was handed over
        self._waiting: list[str] = []  # handed over, not yet sent
        self._sent: list[tuple[int, list[str]]] = []  # (message id, its pages)
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
            # Pagefind is idle once it has answered the last request.
            if not self._sent or self._service.answered(self._sent[-1][0]):
                self._send_waiting()
        except (OSError, PagefindError) as error:
            self._failure = error

    def close(self) -> None:
        if self._service:
            self._service.close()
            self._service = None

    # --- at the end -----------------------------------------------------------

    def write(self, timeout: float) -> int:
        """Check the folder, hand over what is missing, write the index files.

        Returns the number of pages indexed; raises IndexOutOfDate,
        PagefindError, OSError or TimeoutError.
        """
        if self._failure:
            raise self._failure
        on_disk = self._html_files()
        for relative, signature in self._handed.items():
            if on_disk.get(relative) != signature:
                raise IndexOutOfDate(f"{relative} changed after it was indexed")
        self._hand_over([r for r in sorted(on_disk) if r not in self._handed], timeout)
        self._send_waiting()
        deadline = time.monotonic() + timeout
        for message_id, pages in self._sent:
            response = self._service.response(message_id, deadline - time.monotonic())
            # A glob that matched fewer files: not what the CLI would index.
            if response.get("type") == "IndexedDir" and response["page_count"] != len(
                pages
            ):
                raise IndexOutOfDate(f"Pagefind did not find all of {pages}")
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
            self._handed[relative] = _signature(os.stat(path))
            if _PLAIN_PATH.fullmatch(relative):
                self._waiting.append(relative)
                continue
            with open(path, encoding="utf-8") as file:
                contents = file.read()
            request = {
                "type": "AddFile",
                "index_id": self._index_id,
                "file_path": relative,
                "url": None,
                "file_contents": contents,
            }
            self._sent.append((self._service.send(request), [relative]))

    def _send_waiting(self) -> None:
        if not self._waiting:
            return
        pages, self._waiting = self._waiting, []
        request = {
            "type": "AddDir",
            "index_id": self._index_id,
            "path": self.output,
            "glob": "{" + ",".join(pages) + "}",
        }
        self._sent.append((self._service.send(request), pages))

    def _html_files(self) -> dict[str, Signature]:
        """Every *.html file under the output folder, as Pagefind's CLI globs it."""
        found = {}
        for folder, _, names in os.walk(self.output):
            for name in names:
                if name.endswith(".html"):
                    path = os.path.join(folder, name)
                    relative = Path(os.path.relpath(path, self.output)).as_posix()
                    found[relative] = _signature(os.stat(path))
        return found
