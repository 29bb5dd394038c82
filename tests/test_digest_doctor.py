"""`python -m digest doctor`: a line per finding; exit 1 when a real send lacks one."""

from __future__ import annotations

import base64
import socket

import pytest
from cryptography.hazmat.primitives import serialization

from digest import config, doctor
from tests.digest_support import write_feed
from tests.sitebuild import run_module
from tests.test_digest import NOVEMBER, OCTOBER
from tests.test_digest_dkim import key  # noqa: F401 (fixture)

SECRET = {"DIGEST_SECRET": "a-test-secret-of-32-characters!!"}
READY = {
    "from": "Understanding Customer Service <digest@essays.example.org>",
    "list_id": "Understanding Customer Service <digest.essays.example.org>",
    "service_url": "https://essays.example.org/subscriptions",
    "unsubscribe_mailto": "unsubscribe@essays.example.org",
    "bounce_address": "bounces@mail.essays.example.org",
}


@pytest.fixture
def ready(tmp_path, key):  # noqa: F811
    """A list ready to send: settings file, key, published feed."""
    key_file = tmp_path / "dkim.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    feed = write_feed(tmp_path / "feed.xml", [OCTOBER, NOVEMBER])
    return {
        **READY,
        "feed": str(feed),
        "dkim": {"selector": "digest2026", "key_file": str(key_file)},
    }


def doctor_cli(tmp_path, digest: dict, siteurl="https://essays.example.org", env=None):
    settings = tmp_path / "digestconf.py"
    settings.write_text(f"SITEURL = {siteurl!r}\nDIGEST = {digest!r}\n")
    return run_module(
        "digest", f"--settings={settings}", "doctor", env={**SECRET, **(env or {})}
    )


def lines(result) -> list[str]:
    return result.stdout.splitlines()


def test_a_ready_list_passes_and_gets_its_dns_records(tmp_path, ready, key):  # noqa: F811
    result = doctor_cli(tmp_path, ready)
    assert result.returncode == 0, result.stdout + result.stderr
    out = lines(result)
    assert out[-1] == "nothing missing for a real send"
    assert all(line.startswith(("ok: ", "advice: ")) for line in out[:-1]), out
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    record = f"p={base64.b64encode(public).decode()}"
    (dkim_line,) = [line for line in out if "_domainkey.essays.example.org TXT" in line]
    assert dkim_line.startswith(
        'advice: DNS: publish digest2026._domainkey.essays.example.org TXT "v=DKIM1;'
    )
    assert record in dkim_line
    assert any(
        "signature verifies as digest2026._domainkey.essays.example.org" in line
        for line in out
    )
    # SPF for the envelope sender's domain, DMARC for From's.
    assert any(
        line.startswith('advice: DNS: publish mail.essays.example.org TXT "v=spf1')
        for line in out
    )
    assert any("_dmarc.essays.example.org TXT" in line for line in out)


def test_what_is_missing_is_named_and_the_exit_is_1(tmp_path):
    digest = {
        **READY,
        "service_url": None,
        "unsubscribe_url": "https://essays.example.org/u?e={email}",
        "bounce_address": None,
        "feed": str(tmp_path / "missing.xml"),
    }
    result = doctor_cli(tmp_path, digest, siteurl="http://127.0.0.1:8000")
    assert result.returncode == 1, result.stdout + result.stderr
    missing = [line for line in lines(result) if line.startswith("missing: ")]
    starts = [
        "missing: DIGEST['dkim'] is not set",
        "missing: DIGEST['unsubscribe_url'] carries no token",
        "missing: DIGEST['bounce_address'] is not set",
        "missing: DIGEST['service_url'] None is not a public https:// URL",
        "missing: SITEURL 'http://127.0.0.1:8000' is not a public https:// URL",
        f"missing: {tmp_path / 'missing.xml'}: no such feed file",
    ]
    assert len(missing) == len(starts), missing
    for line, start in zip(missing, starts, strict=True):
        assert line.startswith(start), (line, start)
    assert lines(result)[-1] == "6 thing(s) missing for a real send"
    assert "Traceback" not in result.stderr


def test_a_key_for_another_domain_and_an_unreadable_key(tmp_path, ready):
    other = {**ready, "dkim": {**ready["dkim"], "domain": "other.example.net"}}
    result = doctor_cli(tmp_path, other)
    assert result.returncode == 1
    assert (
        "missing: DIGEST['dkim']['domain'] other.example.net is not the From "
        "domain essays.example.org or a parent of it: DMARC fails"
    ) in lines(result)

    parent = {**ready, "dkim": {**ready["dkim"], "domain": "example.org"}}
    assert doctor_cli(tmp_path, parent).returncode == 0  # relaxed alignment

    gone = {**ready, "dkim": {**ready["dkim"], "key_file": str(tmp_path / "no.pem")}}
    result = doctor_cli(tmp_path, gone)
    assert result.returncode == 1
    assert (
        f"missing: DIGEST['dkim']['key_file'] {tmp_path / 'no.pem'}: cannot read "
        "it: No such file or directory"
    ) in lines(result)


def test_without_the_secret_the_tokens_are_missing(tmp_path, ready):
    result = doctor_cli(tmp_path, ready, env={"DIGEST_SECRET": ""})
    assert result.returncode == 1
    assert any(
        line.startswith("missing: set the environment variable DIGEST_SECRET")
        for line in lines(result)
    )


def test_nothing_is_looked_up_over_the_network(ready, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"the doctor used the network: {args}")

    monkeypatch.setenv("DIGEST_SECRET", SECRET["DIGEST_SECRET"])
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "sendto", refuse)
    settings = config.validate(ready, "test")
    findings = doctor.diagnose(settings)
    assert [f for f in findings if f.level == doctor.MISSING] == [
        doctor.Finding(
            doctor.MISSING,
            "SITEURL '' is not a public https:// URL: check the production "
            "settings (python -m digest --settings publishconf.py doctor, with "
            "SITEURL=https://...)",
        )
    ]
