"""Helpers for the subscription tests: settings, a refusing SMTP server, the
service started as the README starts it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
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
