"""The service's own emails (confirm a sign-up, a privacy link), sent through
the digest's delivery: the Maildir outbox or SMTP, with send's variables."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from digest.config import DigestSettings
from digest.delivery import MaildirOutbox, SmtpSender, Transport
from digest.errors import DeliveryFailed
from digest.mime import SMTP_POLICY
from digest.privacy import masked

logger = logging.getLogger("digest.service")


def list_title(settings: DigestSettings) -> str:
    """The list's name: DIGEST["title"], SITENAME, or the List-Id's phrase."""
    return (
        settings.title
        or settings.site_name
        or settings.list_id.split("<")[0].strip()
        or settings.list_id
    )


def make_transport(
    settings: DigestSettings, smtp: tuple[str, int] | None, outbox: Path | None
) -> Transport:
    if smtp:
        return SmtpSender(
            *smtp, retries=settings.smtp_retries, retry_delay=settings.smtp_retry_delay
        )
    return MaildirOutbox(outbox or settings.outbox)


class Mailer:
    """One transport for the service, used by one thread at a time."""

    def __init__(self, settings: DigestSettings, transport: Transport):
        self.settings = settings
        self.transport = transport
        self._lock = threading.Lock()
        self._env = Environment(
            loader=FileSystemLoader(str(settings.templates)),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
        )
        self._inliner = css_inline.CSSInliner(
            keep_at_rules=True, load_remote_stylesheets=False
        )

    def _message(
        self, to: str, subject: str, intro: str, button: str, link: str, outro: str
    ) -> bytes:
        values = {
            "site_title": list_title(self.settings),
            "site_url": self.settings.site_url or self.settings.service_url,
            "subject": subject,
            "intro": intro,
            "button": button,
            "link": link,
            "outro": outro,
        }
        message = EmailMessage(policy=SMTP_POLICY)
        username, _, domain = to.rpartition("@")
        message["From"] = self.settings.sender
        message["Reply-To"] = self.settings.reply_to
        message["To"] = Address("", username, domain)
        message["Subject"] = subject
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = make_msgid(
            "subscribe", domain=self.settings.sender.domain
        )
        # A transactional message: no List-Unsubscribe (nobody is on a list yet),
        # and auto-responders should not answer it.
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(self._env.get_template("service.txt").render(values))
        html = self._env.get_template("service.html").render(values)
        message.add_alternative(self._inliner.inline(html), subtype="html")
        return message.as_bytes()

    def _send(self, to: str, message: bytes, what: str) -> bool:
        with self._lock:
            try:
                self.transport.deliver(self.settings.sender.addr_spec, to, message)
            except DeliveryFailed as error:
                logger.error("%s to %s not sent: %s", what, masked(to), error)
                return False
        logger.info("%s sent to %s", what, masked(to))
        return True

    def send_confirmation(self, to: str, link: str) -> bool:
        title = list_title(self.settings)
        hours = self.settings.confirm_hours
        message = self._message(
            to,
            f"Confirm your subscription to {title}",
            f"Someone, probably you, asked to receive {title} by email at this "
            "address. Confirm it, and the next digest comes to you.",
            "Confirm my subscription",
            link,
            f"The link works for {hours:g} hours. If you did not ask for this, "
            "ignore this email: nothing will be sent to you.",
        )
        return self._send(to, message, "confirmation")

    def send_privacy_link(self, to: str, link: str) -> bool:
        title = list_title(self.settings)
        message = self._message(
            to,
            f"Your data at {title}",
            f"You asked what {title} holds about this address. This link shows "
            "it, lets you download it and lets you erase it.",
            "See my data",
            link,
            "The link works for 24 hours. If you did not ask for it, ignore this "
            "email: nothing changes.",
        )
        return self._send(to, message, "privacy link")

    def close(self) -> None:
        with self._lock:
            self.transport.close()
