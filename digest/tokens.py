"""Signed tokens for the links the service mails: confirm, unsubscribe, privacy.

A token is `FIELDS.EXPIRES.SIGNATURE`, each part base64url (no padding):
the fields (the address, and for a confirmation its nonce), the expiry in
Unix seconds (0: never), and an HMAC-SHA256 over purpose, list id, fields
and expiry, keyed with a key derived from $DIGEST_SECRET for that purpose.
So a token for one purpose or one list is worthless for another, and none
can be made or altered without the secret.

Unsubscribe tokens never expire: a subscriber may click the link in an
email years old, and the law and the mailbox providers expect it to work.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time

CONFIRM, UNSUBSCRIBE, PRIVACY = "confirm", "unsubscribe", "privacy"
SIGNATURE_BYTES = 16  # 128 bits: beyond guessing; keeps the URL short


class BadToken(Exception):
    """Not a token of ours: malformed, altered, or for another purpose."""


class ExpiredToken(BadToken):
    """A genuine token past its expiry."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise BadToken("not base64") from None


class Signer:
    def __init__(self, secret: bytes, list_id: str):
        self._secret = secret
        self._list = list_id.encode("utf-8")

    def _signature(self, purpose: str, body: str) -> bytes:
        key = hmac.new(self._secret, b"digest-token:" + purpose.encode(), "sha256")
        message = self._list + b"\n" + body.encode("ascii")
        return hmac.new(key.digest(), message, hashlib.sha256).digest()[
            :SIGNATURE_BYTES
        ]

    def sign(self, purpose: str, *fields: str, lifetime: float | None = None) -> str:
        expires = 0 if lifetime is None else int(time.time() + lifetime)
        body = ".".join([*(_b64(f.encode("utf-8")) for f in fields), str(expires)])
        return f"{body}.{_b64(self._signature(purpose, body))}"

    def verify(self, purpose: str, token: str, count: int) -> list[str]:
        """The token's `count` fields; BadToken or ExpiredToken otherwise."""
        parts = token.split(".")
        if len(parts) != count + 2 or not parts[-2].isdigit():
            raise BadToken("wrong shape")
        body, signature = ".".join(parts[:-1]), _unb64(parts[-1])
        if not hmac.compare_digest(signature, self._signature(purpose, body)):
            raise BadToken("bad signature")
        expires = int(parts[-2])
        if expires and time.time() > expires:
            raise ExpiredToken("expired")
        try:
            return [_unb64(p).decode("utf-8") for p in parts[:count]]
        except UnicodeDecodeError:
            raise BadToken("not text") from None

    def unsubscribe_token(self, email: str) -> str:
        return self.sign(UNSUBSCRIBE, email.casefold())


def signer_for(settings) -> Signer:
    """The signer of `settings` (a DigestSettings); stops without the secret."""
    return Signer(settings.require_secret(), settings.list_id)


def service_unsubscribe_url(settings, email: str) -> str:
    """service_url/unsubscribe/TOKEN: the header's URL and the footer's link."""
    token = signer_for(settings).unsubscribe_token(email)
    return f"{settings.service_url}/unsubscribe/{token}"
