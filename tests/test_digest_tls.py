"""The digest's STARTTLS, implicit TLS and login, against a real aiosmtpd.

Each run is `python -m digest send` in a subprocess, as a user runs it: the
throwaway certificate is trusted only through SSL_CERT_FILE, the variable
OpenSSL reads for ssl.create_default_context()'s default verify paths.
"""

from __future__ import annotations

import os
import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from digest.state import Journal, load_state
from tests.digest_support import (
    SETTINGS,
    FeedEntry,
    Recorder,
    free_port,
    write_feed,
    write_subscribers,
)
from tests.sitebuild import run_module

USER, PASSWORD = "digest-sender", "correct horse battery staple"
FIVE = [f"reader{n}@example.org" for n in range(1, 6)]
# aiosmtpd warns of auth_require_tls=False, which the implicit-TLS server needs:
# its auth_require_tls sees only STARTTLS, not TLS from the first byte.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Requiring AUTH while not requiring TLS:UserWarning"
)

ENTRIES = [
    FeedEntry("october", "October's Essay", "2026-10-25"),
    FeedEntry("november", "November's Essay", "2026-11-01"),
]


@dataclass(frozen=True)
class Login:
    user: str
    password: str
    after_starttls: bool  # session.ssl: set by aiosmtpd once STARTTLS is done
    encrypted: bool  # the connection under the login is TLS, however it got so


@dataclass
class Authenticator:
    """aiosmtpd's `authenticator=`: accepts USER/PASSWORD, records every try."""

    logins: list[Login] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        login = Login(
            user=auth_data.login.decode(),
            password=auth_data.password.decode(),
            after_starttls=session.ssl is not None,
            encrypted=server.transport.get_extra_info("ssl_object") is not None,
        )
        with self.lock:
            self.logins.append(login)
        accepted = (login.user, login.password) == (USER, PASSWORD)
        # handled=False: aiosmtpd answers a refusal with its own 535.
        return AuthResult(success=accepted, handled=False, auth_data=auth_data)


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Certificate:
    """A throwaway self-signed certificate for 127.0.0.1 and localhost."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "/usr/bin/openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return Certificate(cert, key)


@contextmanager
def tls_server(
    recorder: Recorder,
    authenticator: Authenticator,
    certificate: Certificate,
    *,
    implicit: bool,
) -> Iterator[str]:
    """HOST:PORT of an aiosmtpd that needs TLS (STARTTLS or implicit) and a login."""
    port = free_port()
    context = certificate.server_context()
    if implicit:
        # The authenticator records the transport's TLS for this server, as
        # auth_require_tls cannot check it (see pytestmark).
        tls = {"ssl_context": context, "auth_require_tls": False}
    else:
        tls = {"tls_context": context, "require_starttls": True}
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=True,
        **tls,
    )
    controller.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def files(tmp_path) -> Path:
    (tmp_path / "digestconf.py").write_text(f"DIGEST = {SETTINGS!r}\n")
    write_feed(tmp_path / "feed.xml", ENTRIES)
    write_subscribers(tmp_path / "subscribers.csv", [f"{a},," for a in FIVE])
    return tmp_path


def send(
    files: Path,
    smtp: str,
    *,
    security: str,
    password: str = PASSWORD,
    trusted: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m digest send` with only the environment given here."""
    environ = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DIGEST_", "SSL_CERT_"))
    }
    environ |= {
        "DIGEST_SMTP_USER": USER,
        "DIGEST_SMTP_PASSWORD": password,
        "DIGEST_SMTP_SECURITY": security,
    }
    if trusted is not None:
        environ["SSL_CERT_FILE"] = str(trusted)
    return run_module(
        "digest",
        "--settings",
        str(files / "digestconf.py"),
        "send",
        f"--feed={files / 'feed.xml'}",
        f"--subscribers={files / 'subscribers.csv'}",
        f"--state={files / 'state.json'}",
        "--since=2026-10-01",
        f"--smtp={smtp}",
        "--connections=1",  # the logins below are counted for one connection
        env=environ,
        inherit_env=False,
        timeout=60,
    )


def served(files: Path) -> dict[str, str]:
    """Who the unfinished digest has reached, by the state's own journal."""
    state = load_state(files / "state.json")
    assert state.pending is not None, "the digest should still be unfinished"
    assert state.sent == []
    return Journal(files / "state.json").served(state.pending.digest_id)


@pytest.mark.parametrize("security", ["starttls", "auto"])
def test_starttls_logs_in_only_after_tls_and_delivers(files, certificate, security):
    recorder, authenticator = Recorder(), Authenticator()
    with tls_server(recorder, authenticator, certificate, implicit=False) as smtp:
        result = send(files, smtp, security=security, trusted=certificate.cert)
    assert result.returncode == 0, result.stderr
    assert Counter(recorder.recipients()) == Counter(FIVE)
    assert all("October" in m["Subject"] for m in recorder.parsed())
    # One connection for the run: one login, with the right credentials, on TLS.
    assert authenticator.logins == [
        Login(USER, PASSWORD, after_starttls=True, encrypted=True)
    ]
    assert load_state(files / "state.json").pending is None


def test_implicit_tls_delivers_in_ssl_mode(files, certificate):
    recorder, authenticator = Recorder(), Authenticator()
    with tls_server(recorder, authenticator, certificate, implicit=True) as smtp:
        result = send(files, smtp, security="ssl", trusted=certificate.cert)
    assert result.returncode == 0, result.stderr
    assert Counter(recorder.recipients()) == Counter(FIVE)
    # No STARTTLS on this connection: it was TLS from the first byte.
    assert authenticator.logins == [
        Login(USER, PASSWORD, after_starttls=False, encrypted=True)
    ]


def test_a_wrong_password_stops_the_run_and_a_rerun_serves_everyone_once(
    files, certificate
):
    recorder, authenticator = Recorder(), Authenticator()
    with tls_server(recorder, authenticator, certificate, implicit=False) as smtp:
        refused = send(
            files, smtp, security="starttls", password="wrong", trusted=certificate.cert
        )
        assert refused.returncode == 1, refused.stderr
        assert f"refused the login of '{USER}'" in refused.stderr
        assert "535" in refused.stderr
        assert "Traceback" not in refused.stderr
        assert "wrong" not in refused.stderr  # the password is never printed
        assert recorder.messages == []
        assert served(files) == {}
        # Not retried on a new connection: one try per mechanism offered
        # (smtplib tries PLAIN, then LOGIN), never a second round.
        attempts = len(authenticator.logins)
        assert 1 <= attempts <= 2
        assert {login.password for login in authenticator.logins} == {"wrong"}

        result = send(files, smtp, security="starttls", trusted=certificate.cert)
    assert result.returncode == 0, result.stderr
    assert Counter(recorder.recipients()) == Counter(FIVE)  # each exactly once
    assert authenticator.logins[attempts:] == [
        Login(USER, PASSWORD, after_starttls=True, encrypted=True)
    ]
    assert load_state(files / "state.json").pending is None


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "ssl"])
def test_an_untrusted_certificate_stops_the_run_before_any_login(
    files, certificate, implicit
):
    recorder, authenticator = Recorder(), Authenticator()
    security = "ssl" if implicit else "starttls"
    with tls_server(recorder, authenticator, certificate, implicit=implicit) as smtp:
        result = send(files, smtp, security=security, trusted=None)
    assert result.returncode == 1, result.stderr
    assert "certificate is not trusted" in result.stderr
    assert "self-signed certificate" in result.stderr  # OpenSSL's own reason
    assert "SSL_CERT_FILE" in result.stderr
    assert "temporary failure" not in result.stderr  # no retry can fix it
    assert "Traceback" not in result.stderr
    assert authenticator.logins == []  # the password never left the client
    assert recorder.messages == []
    assert served(files) == {}
