"""The digest's headers as bytes on the wire, through a real Postfix and aiosmtpd.

No parser here: RFC 2369 tells clients to ignore a List-Unsubscribe written
as an RFC 2047 encoded word, and the email package decodes one silently.
"""

from __future__ import annotations

import re
from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from digest.mime import SMTP_POLICY, to_header
from digest.run import send
from digest.subscribers import Subscriber
from tests.digest_support import Recorder, digest_settings, smtp_server, write_feed
from tests.postfix_server import postfix
from tests.test_digest import NOVEMBER, OCTOBER, options

LONG_ADDRESS = "a.very.long.name.of.a.subscriber.with.many.parts@mail.example.org"
TOKEN_URL = "https://essays.example.org/subscriptions/unsubscribe/{token}?e={email}"


def header_block(raw: bytes, name: bytes) -> bytes:
    """The header `name` with its continuation lines, exactly as received."""
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    match = re.search(rb"(?mi)^" + name + rb":.*\n(?:[ \t].*\n)*", head + b"\n")
    assert match, f"no {name!r} header in {head!r}"
    return match.group(0)


def assert_plain_list_unsubscribe(raw: bytes, address: str) -> None:
    block = header_block(raw, b"List-Unsubscribe")
    assert b"=?" not in block and block.isascii()
    lines = block.rstrip(b"\n").split(b"\n")
    # Folded only between the two <...> items, each whole on its line.
    assert len(lines) == 2, lines
    assert re.fullmatch(rb"List-Unsubscribe: <https://[^<>\s]+>,", lines[0])
    assert lines[1] == b" <mailto:unsubscribe@essays.example.org?subject=unsubscribe>"
    assert address.replace("@", "%40").encode() in lines[0]
    assert len(lines[0]) > 100  # long enough that the email package would encode
    post = header_block(raw, b"List-Unsubscribe-Post")
    assert post == b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"


@pytest.fixture
def long_list(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SECRET", "a-test-secret-of-32-characters!!")
    (tmp_path / "subscribers.csv").write_text(
        f"email,name,status\n{LONG_ADDRESS},Long Name,\n"
    )
    return write_feed(tmp_path / "feed.xml", [OCTOBER, NOVEMBER])


def test_list_unsubscribe_is_plain_ascii_through_postfix(tmp_path, long_list):
    settings = digest_settings(unsubscribe_url=TOKEN_URL)
    with postfix() as server:
        send(settings, options(tmp_path, long_list, smtp=server.address))
        (raw,) = server.wait_for(1)
    assert_plain_list_unsubscribe(raw, LONG_ADDRESS)


def test_list_unsubscribe_is_plain_ascii_as_aiosmtpd_receives_it(tmp_path, long_list):
    recorder = Recorder()
    with smtp_server(recorder) as address:
        send(
            digest_settings(unsubscribe_url=TOKEN_URL),
            options(tmp_path, long_list, smtp=address),
        )
    ((_, raw),) = recorder.messages
    assert b"\r\n" in raw  # the bytes of the DATA, CRLF and all
    assert_plain_list_unsubscribe(raw, LONG_ADDRESS)


def test_message_id_is_the_same_on_every_attempt(tmp_path, long_list):
    """A failed run, then a rerun: the subscriber's Message-ID does not change."""
    attempts: list[bytes] = []

    class Keeping(Recorder):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            attempts.append(envelope.original_content)
            return await super().handle_DATA(server, session, envelope)

    failing = Keeping(fail_after=0)
    with smtp_server(failing) as address, pytest.raises(Exception):  # noqa: B017
        send(digest_settings(), options(tmp_path, long_list, smtp=address))
    healthy = Keeping()
    with smtp_server(healthy) as address:
        send(digest_settings(), options(tmp_path, long_list, smtp=address))
    ids = {header_block(raw, b"Message-ID") for raw in attempts}
    assert len(attempts) >= 2 and len(ids) == 1, ids
    (only,) = ids
    assert LONG_ADDRESS.encode() not in only  # a hash of it, not the address


def test_the_bounce_address_is_the_envelope_sender(tmp_path, long_list):
    settings = digest_settings(bounce_address="bounces@essays.example.org")
    with postfix() as server:
        send(settings, options(tmp_path, long_list, smtp=server.address))
        (raw,) = server.wait_for(1)
    assert raw.startswith(b"Return-Path: <bounces@essays.example.org>\n")
    assert b"\nFrom: Understanding Customer Service <digest@essays" in raw


@pytest.mark.parametrize(
    "name, email",
    [
        ("Ann Reader", "ann@example.org"),
        ("", "a.b+c@example.org"),
        ("O'Brien", "o@example.org"),
        ("A. B.", "ab@example.org"),  # a "." makes the email package quote
        ("Zoë", "zoe@example.org"),  # RFC 2047
        ("Ann", "ann@bücher.example"),  # IDNA
        ("x" * 70, "long@example.org"),  # folded
    ],
)
def test_to_is_written_as_the_email_package_writes_it(name, email):
    """The fast path for plain names gives the very bytes of the slow one."""
    username, _, domain = email.rpartition("@")
    message = EmailMessage(policy=SMTP_POLICY)
    message["To"] = Address(name, username, domain)
    expected = message.as_bytes().removesuffix(b"\r\n")
    assert to_header(Subscriber(email, name)) == expected
