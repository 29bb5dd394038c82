"""Helpers for the subscription tests: settings, a refusing SMTP server, the
service started as the README starts it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest import config
from digest.run import SendOptions
from tests.digest_support import SETTINGS, FeedEntry, Recorder, free_port
from tests.sitebuild import PROJECT

SECRET = "test-secret-0123456789-abcdefghij"
# Dated a few days ago, so that a first run (no state) sends it today.
NOVEMBER = FeedEntry(
    "recent",
    "A Recent Essay",
    (datetime.now(UTC) - timedelta(days=3)).date().isoformat(),
)
LATER = FeedEntry(
    "later", "A Later Essay", (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
)


def service_digest(**overrides) -> dict:
    """The DIGEST dict of a site using the subscription service."""
    values = {**SETTINGS, "service_url": "https://essays.example.org/subscriptions"}
    del values["unsubscribe_url"]
    return {**values, **overrides}


def service_settings(**overrides) -> config.DigestSettings:
    return config.validate(service_digest(**overrides), "test settings")


def send_options(tmp_path: Path, feed: Path, **overrides) -> SendOptions:
    values = {
        "feed": str(feed),
        "subscribers": None,
        "state": tmp_path / "state.json",
        "since": None,
        "smtp": None,
        "outbox": tmp_path / "outbox",
        "dry_run": False,
        "now": datetime.now(UTC),
    }
    return SendOptions(**{**values, **overrides})


@dataclass
class RefusingRecorder(Recorder):
    """Refuses these recipients for good at RCPT, as a server with no such user."""

    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@dataclass
class RunningService:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"the service did not start: {log.read_text()}")


def write_settings(folder: Path, digest: dict, site_url: str = "") -> Path:
    path = folder / "digestconf.py"
    path.write_text(
        f"SITENAME = 'Understanding Customer Service'\n"
        f"SITEURL = {site_url!r}\nDIGEST = {digest!r}\n"
    )
    return path


@contextmanager
def running_service(
    folder: Path,
    digest: dict,
    *,
    database: str,
    smtp: tuple[str, int] | None = None,
    site_url: str = "",
    port: int | None = None,
) -> Iterator[RunningService]:
    """`python -m digest serve` as the README starts it, on a free port."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    settings = write_settings(folder, {**digest, "service_url": url}, site_url)
    command = [
        sys.executable,
        "-m",
        "digest",
        "--settings",
        str(settings),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--database",
        database,
    ]
    command += (
        ["--smtp", f"{smtp[0]}:{smtp[1]}"]
        if smtp
        else ["--outbox", str(folder / "service-outbox")]
    )
    log = folder / f"service-{port}.log"
    env = {**os.environ, "DIGEST_SECRET": SECRET, "DIGEST_SMTP_SECURITY": "none"}
    with log.open("w") as handle:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
    try:
        wait_for(url, process, log)
        yield RunningService(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is returned to the test as it is


_OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass
class Answer:
    status: int
    body: str
    headers: dict[str, str]  # names lower-cased


def http(method: str, url: str, data: dict | bytes | None = None, **headers) -> Answer:
    """One request, no redirect followed; any status is an Answer."""
    body = None
    if isinstance(data, dict):
        body = urllib.parse.urlencode(data).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif data is not None:
        body = data
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=20) as response:
            return Answer(
                response.status,
                response.read().decode(),
                {k.lower(): v for k, v in response.headers.items()},
            )
    except urllib.error.HTTPError as error:
        return Answer(
            error.code,
            error.read().decode(),
            {k.lower(): v for k, v in error.headers.items()},
        )


def wait_for_messages(handler: Recorder, count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while len(handler.messages) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(handler.messages)} messages, expected {count}")
        time.sleep(0.05)


def link_in(message, prefix: str) -> str:
    """The first URL starting with `prefix` in a message's plain-text part."""
    text = message.get_body(("plain",)).get_content()
    match = re.search(re.escape(prefix) + r"\S+", text)
    assert match, f"no {prefix} link in:\n{text}"
    return match.group(0)


def status_of(database_url: str, email: str) -> str | None:
    """The subscriber's status in the database, None when unknown."""
    from digest.store import Store

    store = Store(database_url)
    try:
        row = store.get(email)
        return row["status"] if row else None
    finally:
        store.close()


def send_digest(settings_file: Path, database: str, folder: Path, server, entries):
    """`python -m digest send` of a feed of `entries`, from the database."""
    from tests.digest_support import write_feed
    from tests.sitebuild import run_module

    feed = write_feed(folder / "feed.xml", entries)
    return run_module(
        "digest",
        "--settings",
        str(settings_file),
        "send",
        f"--feed={feed}",
        f"--database={database}",
        f"--state={folder / 'state.json'}",
        f"--smtp={server[0]}:{server[1]}",
        env={"DIGEST_SECRET": SECRET},
    )
