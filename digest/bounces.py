"""`python -m digest bounces`: read the mail that comes back, mark the list.

The mailbox (a Maildir or an mbox) is where replies to the digest's sender,
its bounces and its unsubscribe address arrive. Each message is one of:

- a complaint (an ARF feedback report, RFC 5965, as mailbox providers' feedback
  loops send): the address is marked "complained", never mailed again;
- a delivery failure report: flufl.bounce reads standard DSNs (RFC 3464) and
  the many non-standard bounce formats of real servers. A permanent failure
  is counted on the subscriber (DIGEST["bounce_limit"] of them: "bounced");
  a temporary one is only noted in the history;
- an unsubscribe mail (to DIGEST["unsubscribe_mailto"], or subject
  "unsubscribe"): its sender is unsubscribed;
- anything else: left alone.

The mailbox is only read, never changed; each message is processed once
(the database remembers its Message-ID, or a hash of it without one).
"""

from __future__ import annotations

import hashlib
import logging
import mailbox
import re
from email import message_from_bytes, policy
from email.message import Message
from email.utils import getaddresses, parseaddr
from pathlib import Path

from flufl.bounce import all_failures

from digest.config import DigestSettings
from digest.errors import DigestError
from digest.privacy import masked
from digest.store import COMPLAINED, Store

logger = logging.getLogger("digest")

COMPLAINT, HARD, SOFT, UNSUBSCRIBE_MAIL, IGNORED = (
    "complaints",
    "hard bounces",
    "soft bounces",
    "unsubscribe mails",
    "other messages left alone",
)


def _messages(maildir: Path | None, mbox: Path | None):
    if maildir is not None:
        if not (maildir / "cur").is_dir() and not (maildir / "new").is_dir():
            raise DigestError(f"{maildir}: not a Maildir (no cur/ or new/)")
        box = mailbox.Maildir(maildir, factory=None, create=False)
    else:
        if not mbox.is_file():
            raise DigestError(f"{mbox}: no such mbox file")
        box = mailbox.mbox(mbox, create=False)
    for key in box.iterkeys():
        yield box.get_bytes(key)


def _message_key(raw: bytes, message: Message) -> str:
    message_id = (message.get("Message-ID") or "").strip()
    if message_id:
        return f"id:{message_id}"
    return f"sha256:{hashlib.sha256(raw).hexdigest()}"


def _addresses(value: str | None) -> list[str]:
    return [a for _, a in getaddresses([value or ""]) if "@" in a]


def complaint_recipient(message: Message) -> tuple[str, str] | None:
    """(address, feedback type) of an ARF report; None for anything else."""
    if message.get_content_type() != "multipart/report":
        return None
    if (message.get_param("report-type") or "").lower() != "feedback-report":
        return None
    kind, recipient = "abuse", None
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/feedback-report":
            fields = _report_fields(part)
            kind = fields.get("feedback-type", kind)
            recipient = recipient or _first(_addresses(fields.get("original-rcpt-to")))
        elif content_type in ("message/rfc822", "text/rfc822-headers"):
            original = _embedded(part)
            if original is not None:
                recipient = recipient or _first(_addresses(original.get("To")))
    return (recipient, kind) if recipient else None


def _first(items: list[str]) -> str | None:
    return items[0] if items else None


def _embedded(part: Message) -> Message | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        return payload[0]
    if isinstance(payload, str):
        return message_from_bytes(payload.encode("utf-8", "replace"))
    return None


def _report_fields(part: Message) -> dict[str, str]:
    """The fields of a message/feedback-report or delivery-status block."""
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    if isinstance(payload, str):
        blocks = [message_from_bytes(payload.encode("utf-8", "replace"))]
    fields: dict[str, str] = {}
    for block in blocks:
        for name, value in block.items():
            fields.setdefault(name.lower(), str(value).strip())
    return fields


def failure_reason(message: Message, address: str) -> str:
    """Status and diagnostic for `address` in a DSN; the subject otherwise."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        for block in payload if isinstance(payload, list) else []:
            recipient = block.get("Final-Recipient", "") + block.get(
                "Original-Recipient", ""
            )
            if address.casefold() in recipient.casefold():
                status = block.get("Status", "").strip()
                diagnostic = re.sub(r"\s+", " ", block.get("Diagnostic-Code", ""))
                return " ".join(p for p in (status, diagnostic.strip()) if p)
    return re.sub(r"\s+", " ", message.get("Subject", "delivery failure")).strip()


def is_unsubscribe_mail(message: Message, settings: DigestSettings) -> bool:
    mailto = settings.unsubscribe_mailto.casefold()
    recipients = [
        a.casefold()
        for header in ("To", "Delivered-To", "X-Original-To", "Envelope-To")
        for a in _addresses(message.get(header))
    ]
    subject = (message.get("Subject") or "").strip().lower()
    return mailto in recipients or subject.startswith("unsubscribe")


def process_message(raw: bytes, store: Store, settings: DigestSettings) -> str:
    """Classify one message and mark the list; the kind it was."""
    message = message_from_bytes(raw, policy=policy.compat32)
    complaint = complaint_recipient(message)
    if complaint:
        address, kind = complaint
        store.set_status(
            address, COMPLAINED, f"complaint ({kind}) from {message.get('From', '?')}"
        )
        logger.info("complaint about the digest from %s", masked(address))
        return COMPLAINT
    temporary, permanent = all_failures(message)
    if permanent or temporary:
        for address in sorted(permanent):
            text = address.decode("utf-8", "replace")
            status = store.record_failure(
                text,
                "hard bounce",
                failure_reason(message, text),
                limit=settings.bounce_limit,
            )
            logger.info("hard bounce for %s: now %s", masked(text), status or "unknown")
        for address in sorted(temporary - permanent):
            text = address.decode("utf-8", "replace")
            store.record_event(text, "soft bounce", failure_reason(message, text))
        return HARD if permanent else SOFT
    if is_unsubscribe_mail(message, settings):
        sender = parseaddr(message.get("From", ""))[1]
        if "@" in sender:
            store.unsubscribe(sender, f"an email to {settings.unsubscribe_mailto}")
            logger.info("unsubscribed by email: %s", masked(sender))
            return UNSUBSCRIBE_MAIL
    return IGNORED


def process_mailbox(
    store: Store,
    settings: DigestSettings,
    *,
    maildir: Path | None = None,
    mbox: Path | None = None,
) -> dict[str, int]:
    counts = dict.fromkeys((COMPLAINT, HARD, SOFT, UNSUBSCRIBE_MAIL, IGNORED), 0)
    seen_before = 0
    for raw in _messages(maildir, mbox):
        key = _message_key(raw, message_from_bytes(raw, policy=policy.compat32))
        if store.inbound_seen(key):
            seen_before += 1
            continue
        kind = process_message(raw, store, settings)
        store.record_inbound(key, kind)
        counts[kind] += 1
    counts["already processed"] = seen_before
    return {kind: n for kind, n in counts.items() if n}
