"""DKIM: the signature of the bytes a real SMTP server received, checked by dkimpy.

The public key is served to dkimpy's verifier by a dnsfunc that answers the
test's own TXT record: no network.
"""

from __future__ import annotations

import re

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from digest import compat_dkimpy
from digest.dkim_signing import dns_record
from digest.errors import DigestError
from digest.run import send
from tests.digest_support import Recorder, digest_settings, smtp_server, write_feed
from tests.postfix_server import postfix
from tests.test_digest import NOVEMBER, OCTOBER, options
from tests.test_digest_wire import header_block

SELECTOR = "digest2026"
DOMAIN = "essays.example.org"
# What issue 15 (and RFC 8058 for the List-* ones) asks to be signed.
REQUIRED = set(
    b"from subject date message-id list-id".split()
    + [b"list-unsubscribe", b"list-unsubscribe-post"]
)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def signed(tmp_path, key, monkeypatch):
    """Settings that sign, a feed and two subscribers."""
    monkeypatch.setenv("DIGEST_SECRET", "a-test-secret-of-32-characters!!")
    key_file = tmp_path / "dkim.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    (tmp_path / "subscribers.csv").write_text(
        "email,name,status\nann@example.com,Ann,\nbob@example.net,Bob,\n"
    )
    feed = write_feed(tmp_path / "feed.xml", [OCTOBER, NOVEMBER])
    settings = digest_settings(
        unsubscribe_url="https://essays.example.org/u/{token}?e={email}",
        dkim={"selector": SELECTOR, "key_file": str(key_file)},
    )
    return settings, feed


def verify(raw: bytes, key: rsa.RSAPrivateKey) -> bool:
    """dkimpy's verifier, the key published as the test's TXT record."""
    record = dns_record(key).encode()
    names = []

    def dnsfunc(name: bytes, timeout: int = 5) -> bytes | None:
        names.append(name)
        return record if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None

    # Maildir files have LF line ends; on the wire (and for a receiver) CRLF.
    wire = re.sub(rb"\r?\n", b"\r\n", raw)
    ok = dkim.verify(wire, dnsfunc=dnsfunc)
    assert names, "the verifier never asked for the key"
    return ok


def signed_headers(raw: bytes) -> set[bytes]:
    block = header_block(raw, b"DKIM-Signature")
    tags = dict(
        part.strip().split(b"=", 1)
        for part in re.sub(rb"\s+", b"", block.split(b":", 1)[1]).split(b";")
        if part.strip()
    )
    assert tags[b"d"] == DOMAIN.encode() and tags[b"s"] == SELECTOR.encode()
    return set(tags[b"h"].lower().split(b":"))


def test_the_signature_holds_as_postfix_delivered_it(tmp_path, signed, key):
    settings, feed = signed
    with postfix() as server:
        send(settings, options(tmp_path, feed, smtp=server.address))
        messages = server.wait_for(2)
    for raw in messages:
        assert signed_headers(raw) >= REQUIRED
        assert verify(raw, key)


def test_the_signature_holds_as_aiosmtpd_received_it(tmp_path, signed, key):
    settings, feed = signed
    recorder = Recorder()
    with smtp_server(recorder) as address:
        send(settings, options(tmp_path, feed, smtp=address))
    assert len(recorder.messages) == 2
    for _, raw in recorder.messages:
        assert signed_headers(raw) >= REQUIRED
        assert verify(raw, key)
        # A List-Unsubscribe changed on the way (another subscriber's link)
        # breaks it: the verifier really checks the List-* headers.
        forged = re.sub(rb"/u/[0-9a-f]+", b"/u/0000", raw, count=1)
        assert forged != raw and not verify(forged, key)


def test_openssl_signs_the_same_bytes_as_dkimpy(signed, key):
    """The compatibility patch is in, and gives dkimpy's own signature."""
    settings, _ = signed
    pem = settings.dkim.key_file.read_bytes()
    assert compat_dkimpy.install(pem) is None and compat_dkimpy.installed()
    assert dkim.RSASSA_PKCS1_v1_5_sign is compat_dkimpy.openssl_rsassa_pkcs1_v1_5_sign
    message = b"From: a@essays.example.org\r\nSubject: s\r\n\r\nbody\r\n"
    fast = dkim.sign(message, SELECTOR.encode(), DOMAIN.encode(), pem)
    compat_dkimpy.uninstall()
    try:
        slow = dkim.sign(message, SELECTOR.encode(), DOMAIN.encode(), pem)
    finally:
        assert compat_dkimpy.install(pem) is None
    assert fast == slow


def test_an_unreadable_key_is_one_line_before_anything_is_sent(tmp_path, signed):
    settings, feed = signed
    settings.dkim.key_file.write_text("not a key\n")
    recorder = Recorder()
    with smtp_server(recorder) as address, pytest.raises(DigestError) as error:
        send(settings, options(tmp_path, feed, smtp=address))
    assert str(error.value).startswith(
        f"DIGEST['dkim']['key_file'] {settings.dkim.key_file}: not an unencrypted PEM"
    )
    assert recorder.messages == []


def test_a_wrong_selector_names_the_setting():
    with pytest.raises(DigestError, match=r"DIGEST\['dkim'\]\['selector'\]"):
        digest_settings(dkim={"selector": "bad selector", "key_file": "k.pem"})
