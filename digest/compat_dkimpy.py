"""The one place that reaches into dkimpy's private parts: its RSA step.

dkimpy 1.1.8 signs with its own pure-Python RSA (dkim.crypto.rsa_decrypt: two
1024-bit pow() calls for a 2048-bit key, holding the interpreter lock): about
9 ms a message on a quiet core here, which caps a DKIM-signed run near 110
messages a second whatever the number of connections. OpenSSL, through the
`cryptography` package, does the same signature in well under a millisecond.

It also parses the PEM key again for every message (dkim.DKIM.sign calls
dkim.parse_pem_private_key, ~1 ms of pure-Python ASN.1): the parsed key is
kept, by the PEM's bytes.

dkim.DKIM.gen_header calls the module-level name dkim.RSASSA_PKCS1_v1_5_sign
(imported from dkim.crypto) with the hash object and the key as
dkim.crypto.parse_private_key returns it (a dict of the key's integers). We
replace that name with an OpenSSL version giving the same bytes (PKCS#1 v1.5
signatures are deterministic). `install()` checks first that dkimpy still has
that shape, and signs a test digest both ways; if anything differs, dkimpy's
own RSA stays in use (slower, still correct) and the reason is returned.
"""

from __future__ import annotations

import hashlib
import inspect

import dkim
import dkim.crypto
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

_PURE_PYTHON_SIGN = dkim.crypto.RSASSA_PKCS1_v1_5_sign
_PARSE_EVERY_TIME = dkim.crypto.parse_pem_private_key
_KEY_FIELDS = (
    "modulus",
    "publicExponent",
    "privateExponent",
    "prime1",
    "prime2",
    "exponent1",
    "exponent2",
    "coefficient",
)
_HASHES = {"sha256": hashes.SHA256, "sha1": hashes.SHA1}
_keys: dict[int, rsa.RSAPrivateKey] = {}  # by modulus: one load per key
_parsed: dict[bytes, dict] = {}  # by PEM: dkimpy's form of the key


def parse_pem_private_key_once(data: bytes) -> dict:
    """dkim.crypto.parse_pem_private_key, parsed once per key (never mutated)."""
    key = _parsed.get(data)
    if key is None:
        key = _parsed[data] = _PARSE_EVERY_TIME(data)
    return key


def _openssl_key(private_key: dict) -> rsa.RSAPrivateKey:
    key = _keys.get(private_key["modulus"])
    if key is None:
        public = rsa.RSAPublicNumbers(
            private_key["publicExponent"], private_key["modulus"]
        )
        key = rsa.RSAPrivateNumbers(
            p=private_key["prime1"],
            q=private_key["prime2"],
            d=private_key["privateExponent"],
            dmp1=private_key["exponent1"],
            dmq1=private_key["exponent2"],
            iqmp=private_key["coefficient"],
            public_numbers=public,
        ).private_key()
        _keys[private_key["modulus"]] = key
    return key


def openssl_rsassa_pkcs1_v1_5_sign(hash, private_key: dict) -> bytes:  # noqa: A002
    """dkim.crypto.RSASSA_PKCS1_v1_5_sign's contract, computed by OpenSSL."""
    algorithm = _HASHES[hash.name.lower()]()
    return _openssl_key(private_key).sign(
        hash.digest(), padding.PKCS1v15(), Prehashed(algorithm)
    )


def installed() -> bool:
    return dkim.RSASSA_PKCS1_v1_5_sign is openssl_rsassa_pkcs1_v1_5_sign


def uninstall() -> None:
    """dkimpy as it came (the tests compare both)."""
    dkim.RSASSA_PKCS1_v1_5_sign = _PURE_PYTHON_SIGN
    dkim.parse_pem_private_key = _PARSE_EVERY_TIME


def install(pem: bytes) -> str | None:
    """Sign with OpenSSL from now on; None, or why dkimpy's own RSA stays."""
    if installed():
        return None
    try:
        calls = inspect.getsource(dkim.DKIM.gen_header) + inspect.getsource(
            dkim.DKIM.sign
        )
    except (OSError, TypeError):  # no source to read (a frozen install)
        calls = ""
    if (
        dkim.RSASSA_PKCS1_v1_5_sign is not _PURE_PYTHON_SIGN
        or dkim.parse_pem_private_key is not _PARSE_EVERY_TIME
        or "RSASSA_PKCS1_v1_5_sign(" not in calls
        or "parse_pem_private_key(" not in calls
    ):
        return "dkimpy no longer signs through the names digest.compat_dkimpy sets"
    try:
        key = _PARSE_EVERY_TIME(pem)
        probe = hashlib.sha256(b"digest: compat_dkimpy start-up check")
        same = openssl_rsassa_pkcs1_v1_5_sign(probe, key) == _PURE_PYTHON_SIGN(
            probe, key
        )
    except (KeyError, TypeError, ValueError, dkim.crypto.UnparsableKeyError) as error:
        return f"dkimpy's key format changed ({type(error).__name__}: {error})"
    if not same:
        return "OpenSSL's signature differs from dkimpy's"
    dkim.RSASSA_PKCS1_v1_5_sign = openssl_rsassa_pkcs1_v1_5_sign
    dkim.parse_pem_private_key = parse_pem_private_key_once
    return None
