"""One multipart/alternative message per subscriber, from one template.

The email package builds and serialises the message once, with placeholder
bodies; per subscriber only three headers are made (To by the email package,
Message-ID and List-Unsubscribe written here as plain ASCII), and the two
bodies are filled in and quoted-printable encoded by binascii (C). Building a
full EmailMessage per subscriber costs about 3 ms; this about a tenth of that
(bench/digest_send.py).

List-Unsubscribe is written by hand because the email package writes a value
longer than about 75 characters with no space to fold at as an RFC 2047
encoded word, which RFC 2369 tells clients to ignore: Gmail's and Yahoo's
unsubscribe button vanished for every long (token) URL.

Everything that identifies the message derives from the digest's id and the
subscriber, so a message sent again after a crash is the same message: the
same Message-ID (mail clients fold the copies), the same boundary.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
import html
import re
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from digest.config import DigestSettings
from digest.dkim_signing import DkimSigner
from digest.errors import DigestError
from digest.render import EMAIL_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER, RenderedDigest
from digest.subscribers import Subscriber
from digest.tokens import service_unsubscribe_url

SMTP_POLICY = policy.SMTP  # CRLF line ends, and it refuses CR/LF in a value

_TEXT_SLOT = b"digest-slot-text-body"
_HTML_SLOT = b"digest-slot-html-body"

# RFC 5322 2.1.1: a line holds at most 998 characters before its CRLF.
MAX_LINE = 998
ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_url(settings: DigestSettings, email: str) -> str:
    if settings.service_url:
        return service_unsubscribe_url(settings, email)
    token = ""
    if settings.token_secret:
        token = hmac.new(
            settings.token_secret, email.casefold().encode(), hashlib.sha256
        ).hexdigest()
    return settings.unsubscribe_url.format(email=quote(email, safe=""), token=token)


def _quoted_printable(text: str) -> bytes:
    encoded = binascii.b2a_qp(text.encode("utf-8"), istext=True)
    return encoded.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


SOFT_BREAK = b"=\r\n"  # quoted-printable: a line break that decodes to nothing
_PLACEHOLDERS = re.compile(
    f"({re.escape(UNSUBSCRIBE_PLACEHOLDER)}|{re.escape(EMAIL_PLACEHOLDER)})"
)


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDERS.sub(lambda match: values[match.group(0)], template)


class EncodedBody:
    """A body in quoted-printable, encoded once with its placeholders cut out.

    Encoding the whole HTML again for every subscriber was a third of the
    time it took to build a message. Here the text between the placeholders
    is encoded once, each piece ending in a soft line break; per subscriber
    only the values (a URL, an address) are encoded, each on lines of its
    own ending in a soft break too. Soft breaks may go anywhere, so the
    decoded body is exactly the substituted text (a test decodes it).
    """

    def __init__(self, text: str):
        if not text.endswith("\n"):
            text += "\n"  # the boundary line must start a line of its own
        pieces = _PLACEHOLDERS.split(text)
        self._chunks = [_quoted_printable(p) for p in pieces[0::2]]
        for n, chunk in enumerate(self._chunks[:-1]):
            if chunk and not chunk.endswith(b"\r\n"):
                self._chunks[n] = chunk + SOFT_BREAK
        self._names = pieces[1::2]

    def encoded(self, values: dict[str, str]) -> bytes:
        parts = [self._chunks[0]]
        for name, chunk in zip(self._names, self._chunks[1:], strict=True):
            parts += [_quoted_printable(values[name]), SOFT_BREAK, chunk]
        return b"".join(parts)


def _ascii_domain(domain: str) -> str:
    return domain if domain.isascii() else domain.encode("idna").decode("ascii")


def message_id(digest_id: str, subscriber_key: str, domain: str) -> str:
    """The same for one digest to one subscriber on every attempt.

    The address itself stays out (a hash of it), as Message-IDs travel in
    replies and references.
    """
    who = hashlib.sha256(f"{digest_id}\0{subscriber_key}".encode()).hexdigest()
    return f"<digest.{digest_id}.{who[:20]}@{_ascii_domain(domain)}>"


def folded_header(name: str, items: list[str]) -> bytes:
    """`Name: item,` CRLF SP `item`: folded only between the items, ASCII only.

    Raises DigestError for a non-ASCII item or an item too long for one line:
    such a header would be mangled (encoded or broken inside <...>).
    """
    lines = []
    for position, item in enumerate(items):
        if not item.isascii() or any(c in item for c in "\r\n"):
            raise DigestError(f"{name}: not plain ASCII on one line: {item!r}")
        lead = f"{name}: " if position == 0 else " "
        comma = "," if position < len(items) - 1 else ""
        line = f"{lead}{item}{comma}"
        if len(line) > MAX_LINE:
            raise DigestError(
                f"{name}: {item[:60]}... is {len(item)} characters, more than a "
                f"mail header line holds ({MAX_LINE})"
            )
        lines.append(line)
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


# Display names and addresses the email package would write unchanged: atext
# and spaces (RFC 5322 3.2.3), on one short line. Anything else goes through
# it (quoting, RFC 2047 words, IDNA), at ~0.2 ms a header.
_PLAIN_NAME = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
)
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+")


def to_header(subscriber: Subscriber) -> bytes:
    name, email = subscriber.name, subscriber.email
    if _PLAIN_ADDRESS.fullmatch(email) and (not name or _PLAIN_NAME.fullmatch(name)):
        line = f"To: {name} <{email}>" if name else f"To: {email}"
        if len(line) <= 76:
            return f"{line}\r\n".encode("ascii")
    username, _, domain = email.rpartition("@")
    headers = EmailMessage(policy=SMTP_POLICY)
    headers["To"] = Address(name, username, domain)
    return headers.as_bytes().removesuffix(b"\r\n")


class MessageTemplate:
    def __init__(
        self,
        settings: DigestSettings,
        rendered: RenderedDigest,
        date: datetime,
        *,
        digest_id: str,
        signer: DkimSigner | None = None,
    ):
        self.settings = settings
        self.signer = signer
        self.rendered = rendered
        self.digest_id = digest_id
        message = EmailMessage(policy=SMTP_POLICY)
        message["From"] = settings.sender
        message["Reply-To"] = settings.reply_to
        message["Subject"] = rendered.subject
        message["Date"] = format_datetime(date)
        message["List-Id"] = settings.list_id
        message.set_content(_TEXT_SLOT.decode(), cte="quoted-printable")
        message.add_alternative(
            _HTML_SLOT.decode(), subtype="html", cte="quoted-printable"
        )
        # A boundary starting with "=" can never occur in quoted-printable
        # text, where every literal "=" is written "=3D".
        boundary = hashlib.sha256(f"boundary\0{digest_id}".encode()).hexdigest()
        message.set_boundary(f"=_digest_{boundary[:32]}")
        serialised = message.as_bytes()
        head, rest = serialised.split(_TEXT_SLOT + b"\r\n", 1)
        middle, tail = rest.split(_HTML_SLOT + b"\r\n", 1)
        self._parts = (head, middle, tail)
        self._text = EncodedBody(rendered.text)
        self._html = EncodedBody(rendered.html)

    def personal_headers(self, subscriber: Subscriber) -> bytes:
        identity = message_id(
            self.digest_id, subscriber.key, self.settings.sender.domain
        )
        return b"".join(
            [
                to_header(subscriber),
                folded_header("Message-ID", [identity]),
                folded_header(
                    "List-Unsubscribe",
                    [
                        f"<{unsubscribe_url(self.settings, subscriber.email)}>",
                        f"<mailto:{self.settings.unsubscribe_mailto}"
                        "?subject=unsubscribe>",
                    ],
                ),
                folded_header("List-Unsubscribe-Post", [ONE_CLICK]),
            ]
        )

    def _values(self, subscriber: Subscriber) -> tuple[dict, dict]:
        """What the placeholders stand for, in the text and in the HTML."""
        url = unsubscribe_url(self.settings, subscriber.email)
        text = {UNSUBSCRIBE_PLACEHOLDER: url, EMAIL_PLACEHOLDER: subscriber.email}
        markup = {name: html.escape(value) for name, value in text.items()}
        return text, markup

    def bodies(self, subscriber: Subscriber) -> tuple[str, str]:
        """The plain text and the HTML as this subscriber reads them."""
        text, markup = self._values(subscriber)
        return _fill(self.rendered.text, text), _fill(self.rendered.html, markup)

    def message_for(self, subscriber: Subscriber) -> bytes:
        text, markup = self._values(subscriber)
        head, middle, tail = self._parts
        message = b"".join(
            [
                self.personal_headers(subscriber),
                head,
                self._text.encoded(text),
                middle,
                self._html.encoded(markup),
                tail,
            ]
        )
        if self.signer is None:
            return message
        return self.signer.signature(message) + message
