"""A `pagefind --service` process, spoken to without Pagefind's Python client.

The service protocol (the one pagefind's own Python package speaks, see its
service/types.py) is small: each request is a JSON object, base64-encoded and
ended by a comma, on the process's stdin; each response comes back the same
way on its stdout, carrying the request's `message_id`.

Why not `pagefind.service.PagefindService` (pagefind 1.5.2): its response
loop, `_wait_for_responses`, runs `await asyncio.sleep(0.1)` before reading
EACH response, so 1,000 pages cost 100 s; it also merges the process's stderr
into the response stream, where a crash message cannot be parsed and leaves
every waiting request hanging.

This client sends without waiting and takes in the responses that have
arrived whenever it sends (a read that never blocks), so no thread of ours
competes with Pelican's for the interpreter while the pages are written;
`response()` waits for one when it is needed. A process that stops fails
every request still unanswered, with the process's own message.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any


class PagefindError(Exception):
    """Pagefind refused a request, or its process stopped."""


class PagefindService:
    """One running `pagefind --service`."""

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
        # Read with os.read only, never through the buffered file object.
        self._stdout = self._process.stdout.fileno()
        os.set_blocking(self._stdout, False)
        self._ids = itertools.count(1)
        self._responses: dict[int, dict[str, Any]] = {}
        self._unread = b""
        self._ended = False

    def send(self, payload: dict[str, Any]) -> int:
        """Send a request; its message id, for response()."""
        message_id = next(self._ids)
        request = json.dumps({"message_id": message_id, "payload": payload})
        try:
            self._process.stdin.write(base64.b64encode(request.encode()) + b",")
            self._process.stdin.flush()
        except OSError:
            pass  # stopped: response() says so, with the process's message
        self._read()  # keeps the response pipe from filling up
        return message_id

    def answered(self, message_id: int) -> bool:
        """Whether the response to a request has come (or never will)."""
        self._read()
        return message_id in self._responses or self._ended

    def response(self, message_id: int, timeout: float) -> dict[str, Any]:
        """The response to a request sent; raises PagefindError for an error
        response or a stopped process, TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        while message_id not in self._responses:
            if self._ended:
                raise PagefindError(
                    f"Pagefind stopped (exit {self._process.wait()}): "
                    f"{self._error_text()}"
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"Pagefind did not answer within {timeout:.0f} s")
            select.select([self._stdout], [], [], remaining)
            self._read()
        payload = self._responses.pop(message_id)
        if payload.get("type") == "Error":
            raise PagefindError(payload.get("message", payload))
        return payload

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        return self.response(self.send(payload), timeout)

    def close(self) -> None:
        """Stop the process (it has no request to end itself)."""
        if self._process.poll() is None:
            self._process.terminate()
        self._process.wait()
        # What stdin still buffers has nobody to read it any more.
        with contextlib.suppress(OSError):
            self._process.stdin.close()
        self._process.stdout.close()
        self._stderr.close()

    def _read(self) -> None:
        """Take in every response that has arrived, without waiting."""
        while not self._ended:
            try:
                chunk = os.read(self._stdout, 1 << 16)
            except BlockingIOError:
                return
            if not chunk:
                self._ended = True
                return
            *messages, self._unread = (self._unread + chunk).split(b",")
            for message in messages:
                self._take(message)

    def _take(self, message: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(message))
            payload = response["payload"]
            message_id = response.get("message_id")
            if message_id is None:  # a request it could not parse
                message_id = json.loads(payload["original_message"])["message_id"]
        except (ValueError, KeyError, TypeError):
            return  # not a response to anything sent
        self._responses[message_id] = payload

    def _error_text(self) -> str:
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip()
        return text or "no message"
