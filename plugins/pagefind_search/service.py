"""A `pagefind --service` process, spoken to without Pagefind's Python client.

The service protocol (the one pagefind's own Python package speaks, see its
service/types.py) is small: each request is a JSON object, base64-encoded and
ended by a comma, on the process's stdin; each response comes back the same
way on its stdout, carrying the request's `message_id`.

Why not `pagefind.service.PagefindService` (pagefind 1.5.2): its response
loop, `_wait_for_responses`, runs `await asyncio.sleep(0.1)` before reading
EACH response, so 1,000 pages cost 100 s; it also merges the process's stderr
into the response stream, where a crash message cannot be parsed and leaves
every waiting request hanging. This client sends without waiting, a thread
reads the responses as they come, and a crash fails every waiting request
with the process's own message.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any


class PagefindError(Exception):
    """Pagefind refused a request, or its process stopped."""


class PagefindService:
    """One running `pagefind --service`; `send` returns a future response."""

    def __init__(self, executable: Path, cwd: Path):
        # A file, not a pipe: nobody reads stderr unless the process fails.
        # Open as long as the process runs; close() closes it.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115
        self._process = subprocess.Popen(
            [str(executable), "--service"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._ids = itertools.count(1)
        self._waiting: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._failure: PagefindError | None = None
        self._reader = threading.Thread(
            target=self._read_responses, name="pagefind-service", daemon=True
        )
        self._reader.start()

    def send(self, payload: dict[str, Any]) -> Future:
        future: Future = Future()
        with self._lock:
            if self._failure:
                future.set_exception(self._failure)
                return future
            message_id = next(self._ids)
            self._waiting[message_id] = future
        request = json.dumps({"message_id": message_id, "payload": payload})
        try:
            self._process.stdin.write(base64.b64encode(request.encode()) + b",")
            self._process.stdin.flush()
        except OSError:
            # The process has stopped: the reader fails this request with
            # the process's own message once it has seen the end of stdout.
            pass
        return future

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        return self.send(payload).result(timeout=timeout)

    def close(self) -> None:
        """Stop the process (it has no request to end itself)."""
        if self._process.poll() is None:
            self._process.terminate()
        self._process.wait()
        self._reader.join()
        # What stdin still buffers has nobody to read it any more.
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        self._process.stdout.close()
        self._stderr.close()

    def _read_responses(self) -> None:
        stdout = self._process.stdout
        pending = b""
        while chunk := stdout.read1(1 << 16):
            *messages, pending = (pending + chunk).split(b",")
            for message in messages:
                self._resolve(message)
        self._fail_all(
            PagefindError(
                f"Pagefind stopped (exit {self._process.wait()}): {self._error_text()}"
            )
        )

    def _resolve(self, message: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(message))
            payload = response["payload"]
            message_id = response.get("message_id")
            if message_id is None:  # a request it could not parse
                message_id = json.loads(payload["original_message"])["message_id"]
        except (ValueError, KeyError, TypeError):
            return  # not a response to anything sent
        with self._lock:
            future = self._waiting.pop(message_id, None)
        if future is None:
            return
        if payload.get("type") == "Error":
            future.set_exception(PagefindError(payload.get("message", payload)))
        else:
            future.set_result(payload)

    def _fail_all(self, error: PagefindError) -> None:
        with self._lock:
            self._failure = error
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(error)

    def _error_text(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        return text or "no message"
