"""DKIM signatures (RFC 6376) with dkimpy, the key from DIGEST["dkim"]["key_file"].

Every header a receiver judges the digest by is signed, the List-* ones too
(RFC 8058 section 4 asks for List-Unsubscribe and List-Unsubscribe-Post under
a DKIM signature before a mailbox provider offers one-click unsubscribe).
relaxed/simple (dkimpy's default): a relay that refolds a header keeps the
signature valid; the body is signed as sent (quoted-printable, short lines:
nothing for a relay to change), since relaxed body canonicalization cost
~6 ms a message in dkimpy's regular expressions.
"""

from __future__ import annotations

import base64
import logging

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from digest import compat_dkimpy
from digest.config import DkimSettings
from digest.errors import DigestError

logger = logging.getLogger("digest")

SIGNED_HEADERS = (
    b"from",
    b"reply-to",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
)
MIN_KEY_BITS = 1024  # RFC 8301: verifiers must refuse smaller keys
ADVISED_KEY_BITS = 2048


def read_key(settings: DkimSettings) -> rsa.RSAPrivateKey:
    """The RSA private key of key_file; one line naming the setting if not."""
    where = f"DIGEST['dkim']['key_file'] {settings.key_file}"
    try:
        pem = settings.key_file.read_bytes()
    except OSError as error:
        raise DigestError(f"{where}: cannot read it: {error.strerror}") from None
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as error:
        raise DigestError(
            f"{where}: not an unencrypted PEM private key ({error}); make one with "
            "openssl genrsa -out dkim.pem 2048"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise DigestError(f"{where}: an RSA key is needed (every receiver checks RSA)")
    if key.key_size < MIN_KEY_BITS:
        raise DigestError(
            f"{where}: {key.key_size}-bit key; receivers refuse keys under "
            f"{MIN_KEY_BITS} bits (RFC 8301): make a {ADVISED_KEY_BITS}-bit one"
        )
    return key


def dns_record(key: rsa.RSAPrivateKey) -> str:
    """The TXT record's value to publish at SELECTOR._domainkey.DOMAIN."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode('ascii')}"


class DkimSigner:
    """Signs whole messages; made once per run (the key read once)."""

    def __init__(self, settings: DkimSettings):
        self.settings = settings
        key = read_key(settings)
        # dkimpy reads PKCS#1 or PKCS#8 PEM; the file's own form is kept out
        # of it (an "OPENSSH" or encrypted form was refused above).
        self.pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        self.record = dns_record(key)
        self.key_size = key.key_size
        slow = compat_dkimpy.install(self.pem)
        if slow:
            logger.warning(
                "DKIM: signing with dkimpy's own RSA, about 10 ms a message (%s)",
                slow,
            )

    def signature(self, message: bytes) -> bytes:
        """The DKIM-Signature header line(s) to put on top of `message`."""
        return dkim.sign(
            message,
            self.settings.selector.encode("ascii"),
            self.settings.domain.encode("ascii"),
            self.pem,
            canonicalize=(b"relaxed", b"simple"),
            include_headers=list(SIGNED_HEADERS),
        )
