"""Helpers for the digest tests: a recording SMTP server, crafted feeds, settings."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from xml.sax.saxutils import escape

from aiosmtpd.controller import Controller

from digest import config

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

SETTINGS = {
    "from": "Understanding Customer Service <digest@essays.example.org>",
    "reply_to": "editor@essays.example.org",
    "list_id": "Understanding Customer Service <digest.essays.example.org>",
    "unsubscribe_url": "https://essays.example.org/unsubscribe?email={email}",
    "unsubscribe_mailto": "unsubscribe@essays.example.org",
    "smtp_retries": 2,
    "smtp_retry_delay": 0.01,
}


def digest_settings(**overrides) -> config.DigestSettings:
    return config.validate({**SETTINGS, **overrides}, "test settings")


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every accepted message.

    fail_after: accept that many messages, then answer every DATA with
    `failure` (a 4xx reply), or drop the connection when `drop` is set.
    """

    fail_after: int | None = None
    failure: str = "451 4.3.0 Try again later"
    drop: bool = False
    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd
        with self.lock:
            if self.fail_after is not None and len(self.messages) >= self.fail_after:
                if self.drop:
                    server.transport.close()
                return self.failure
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 OK"

    def parsed(self) -> list[EmailMessage]:
        return [
            message_from_bytes(raw, policy=policy.default) for _, raw in self.messages
        ]

    def recipients(self) -> list[str]:
        return [rcpt for rcpts, _ in self.messages for rcpt in rcpts]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(handler: Recorder) -> Iterator[tuple[str, int]]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port
    finally:
        controller.stop()


@dataclass(frozen=True)
class FeedEntry:
    slug: str
    title: str
    published: str  # ISO date
    html: str = "<p>Customer service is a connection.</p>"
    summary: str = "<p>A short summary.</p>"
    image: str | None = None  # an enclosure's href, as the site's feeds have


def _enclosure(entry: FeedEntry) -> str:
    if not entry.image:
        return ""
    return f'<link rel="enclosure" href="{entry.image}" length="68" type="image/png"/>'


def atom_feed(entries: list[FeedEntry], title: str = "Understanding Customer Service"):
    """An Atom feed shaped like the site's, written by hand for exact control."""
    site = "https://essays.example.org"
    items = "".join(
        f"""<entry><title>{escape(e.title)}</title>
<link href="{site}/{e.slug}/" rel="alternate"/>
<published>{e.published}T09:00:00+00:00</published>
<updated>{e.published}T09:00:00+00:00</updated>
<id>tag:essays.example.org,{e.published}:/{e.slug}/</id>
<summary type="html">{escape(e.summary)}</summary>
<content type="html">{escape(e.html)}</content>{_enclosure(e)}</entry>
"""
        for e in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>
<link href="{site}/" rel="alternate"/><id>{site}/</id>
<updated>2026-11-01T09:00:00+00:00</updated>
{items}</feed>
"""


def write_feed(path: Path, entries: list[FeedEntry], **kwargs) -> Path:
    path.write_text(atom_feed(entries, **kwargs), encoding="utf-8")
    return path


def write_subscribers(path: Path, rows: list[str]) -> Path:
    path.write_text("email,name,status\n" + "".join(r + "\n" for r in rows))
    return path
