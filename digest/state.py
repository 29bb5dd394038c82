"""What has been sent, kept across runs: entries, and the digest in progress.

Two files beside each other:

- STATE (JSON), rewritten atomically (temp file, fsync, os.replace) when a
  digest starts and when it ends: the entry ids sent or skipped, and the
  digest in progress (its id and entries).
- STATE.delivered, an append-only journal: an "attempt" line for a
  recipient before its message is sent (a rerun after a crash counts the
  attempts with no outcome after them: deliveries it cannot know about),
  then one line with the outcome, written right after the server's "250"
  (from then on any later run sees it, whatever happens to this process)
  and fsynced by a helper thread (durable against a power cut a few
  milliseconds later; waiting for each fsync, ~3 ms here, would halve the
  sending rate). A full rewrite of the JSON per recipient would cost O(n^2)
  for n subscribers; a line appended is O(1), and a line cut short by a
  crash has no newline and is ignored.

STATE.lock is held (fcntl.flock) for the whole run: a second run stops.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from digest.errors import AlreadyRunning, DigestError

VERSION = 1

ATTEMPT, DEFERRED, GAVE_UP = "attempt", "deferred", "failed"
# Outcomes that end a recipient's part in a digest; "deferred" does not.
FINAL = {"delivered", "rejected", GAVE_UP}


@dataclass
class JournalView:
    """What the journal says about one digest, recipient by recipient."""

    served: dict[str, str] = field(default_factory=dict)  # key: final outcome
    uncertain: set[str] = field(default_factory=set)  # an attempt, no outcome
    deferrals: dict[str, int] = field(default_factory=dict)  # key: times


@dataclass
class Pending:
    digest_id: str
    entry_ids: list[str]
    started: str


@dataclass
class State:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pending: Pending | None = None
    exists: bool = False

    def done(self) -> set[str]:
        return set(self.sent) | set(self.skipped)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def load_state(path: Path) -> State:
    if not path.exists():
        return State()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise ValueError(f"unknown version {data.get('version')!r}")
        pending = data.get("pending")
        return State(
            sent=list(data.get("sent", [])),
            skipped=list(data.get("skipped", [])),
            pending=Pending(**pending) if pending else None,
            exists=True,
        )
    except (ValueError, TypeError, AttributeError) as error:
        raise DigestError(f"{path}: not a digest state file ({error})") from None


def save_state(path: Path, state: State) -> None:
    data = {
        "version": VERSION,
        "sent": state.sent,
        "skipped": state.skipped,
        "pending": state.pending.__dict__ if state.pending else None,
    }
    write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    state.exists = True


def new_pending(entry_ids: list[str], started: str) -> Pending:
    return Pending(digest_id=uuid.uuid4().hex, entry_ids=entry_ids, started=started)


class Journal:
    """STATE.delivered: `digest-id<TAB>outcome<TAB>address` lines."""

    def __init__(self, state_path: Path):
        self.path = state_path.with_name(state_path.name + ".delivered")
        self._handle = None
        self._syncer: threading.Thread | None = None
        self._dirty = threading.Event()
        self._closing = False
        self._opening = threading.Lock()

    def served(self, digest_id: str) -> dict[str, str]:
        """{address key: final outcome} recorded for this digest."""
        return self.read(digest_id).served

    def read(self, digest_id: str) -> JournalView:
        """Every line of this digest, in order; a torn tail is dropped."""
        view = JournalView()
        if not self.path.exists():
            return view
        raw = self.path.read_bytes()
        complete = raw[: raw.rfind(b"\n") + 1]
        if len(complete) != len(raw):
            # A crash cut the last line short: drop it, so the next append
            # starts on a fresh line. That recipient was not recorded.
            with self.path.open("r+b") as handle:
                handle.truncate(len(complete))
        for line in complete.decode("utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 3 or parts[0] != digest_id:
                continue
            _, outcome, key = parts
            if outcome == ATTEMPT:
                view.uncertain.add(key)
                continue
            view.uncertain.discard(key)
            if outcome in FINAL:
                view.served[key] = outcome
            elif outcome == DEFERRED:
                view.deferrals[key] = view.deferrals.get(key, 0) + 1
        view.uncertain -= set(view.served)
        return view

    def record(self, digest_id: str, outcome: str, key: str) -> None:
        with self._opening:  # several sending threads share one journal
            if self._handle is None:
                self._handle = self.path.open("ab", buffering=0)
                self._syncer = threading.Thread(target=self._sync_loop, daemon=True)
                self._syncer.start()
        # Unbuffered: one write() call per line, in the kernel when it returns.
        self._handle.write(f"{digest_id}\t{outcome}\t{key}\n".encode())
        self._dirty.set()

    def _sync_loop(self) -> None:
        # Group commit: one fsync covers every line written while the last
        # one ran. os.fsync releases the GIL, so sending goes on meanwhile.
        while True:
            self._dirty.wait()
            self._dirty.clear()
            if self._handle is None:
                return
            os.fsync(self._handle.fileno())
            if self._closing and not self._dirty.is_set():
                return

    def close(self) -> None:
        if self._handle is None:
            return
        self._closing = True
        self._dirty.set()
        if self._syncer is not None:
            self._syncer.join()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self._handle = None
        self._syncer = None
        self._closing = False

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


@contextmanager
def locked(state_path: Path) -> Iterator[None]:
    """Hold STATE.lock for the run; another run gets AlreadyRunning.

    The file is removed at the end, while still locked: none is left behind.
    A run that locked a file another run has just removed checks the inode
    and locks the new file instead.
    """
    lock_path = state_path.with_name(state_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        handle = lock_path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise AlreadyRunning(
                f"{state_path}: another digest run is in progress ({lock_path} "
                "is locked); try again when it ends"
            ) from None
        try:
            same = os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # removed by the run that just ended: lock the new one
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
