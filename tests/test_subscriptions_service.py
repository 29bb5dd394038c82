"""The subscription service as the README runs it (uvicorn on 127.0.0.1), with
its confirmation emails caught by aiosmtpd, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from digest.store import Store
from digest.tokens import CONFIRM, Signer
from tests.digest_support import SETTINGS, Recorder, smtp_server
from tests.sitebuild import PROJECT
from tests.subscriptions_support import (
    LATER,
    NOVEMBER,
    SECRET,
    http,
    link_in,
    running_service,
    send_digest,
    service_digest,
    status_of,
    wait_for_messages,
)

ANN = "Ann.Reader@example.org"


@pytest.fixture
def mail():
    handler = Recorder()
    with smtp_server(handler) as server:
        yield handler, server


@pytest.fixture
def service(tmp_path, database_url, mail):
    handler, server = mail
    with running_service(
        tmp_path,
        service_digest(signups_per_client=50),
        database=database_url,
        smtp=server,
        site_url="https://essays.example.org",
    ) as running:
        running.database = database_url
        running.settings_file = tmp_path / "digestconf.py"
        yield running
    # Whatever a test did, no address reached the log in full.
    assert "@example.org" not in running.output().replace("***@example.org", "")


def sign_up(service, handler, email: str = ANN) -> str:
    """Post the form, wait for the email; the confirmation link."""
    before = len(handler.messages)
    answer = http("POST", f"{service.url}/subscribe", {"email": email, "website": ""})
    assert answer.status == 200, answer.body
    assert "Check your inbox" in answer.body
    wait_for_messages(handler, before + 1)
    (message,) = handler.parsed()[before:]
    assert message["To"].addresses[0].addr_spec == email
    assert message["Subject"] == (
        "Confirm your subscription to Understanding Customer Service"
    )
    return link_in(message, f"{service.url}/confirm/")


def test_sign_up_confirm_send_one_click_unsubscribe_and_the_next_digest(
    service, mail, tmp_path
):
    handler, server = mail
    link = sign_up(service, handler)
    assert status_of(service.database, ANN) == "pending"

    # A GET (a mail scanner) shows the button and changes nothing.
    page = http("GET", link)
    assert page.status == 200 and "Confirm my subscription" in page.body
    assert f'action="{link}"' in page.body
    assert status_of(service.database, ANN) == "pending"

    confirmed = http("POST", link, {})
    assert confirmed.status == 200 and "You are subscribed" in confirmed.body
    assert status_of(service.database, ANN) == "subscribed"
    again = http("POST", link, {})  # a double click
    assert again.status == 200 and "You are subscribed" in again.body

    result = send_digest(
        service.settings_file, service.database, tmp_path, server, [NOVEMBER]
    )
    assert result.returncode == 0, result.stderr
    digest = handler.parsed()[-1]
    assert digest["To"].addresses[0].addr_spec == ANN
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header_url = digest["List-Unsubscribe"].split(",")[0].strip().strip("<>")
    assert header_url.startswith(f"{service.url}/unsubscribe/")
    # The footer's link is the same page.
    assert link_in(digest, f"{service.url}/unsubscribe/") == header_url

    # GET of the unsubscribe link: a page with a button, nothing changed.
    page = http("GET", header_url)
    assert page.status == 200 and ">Unsubscribe</button>" in page.body
    assert status_of(service.database, ANN) == "subscribed"

    # RFC 8058: the one-click POST, answered 200 with no redirect.
    one_click = http(
        "POST",
        header_url,
        b"List-Unsubscribe=One-Click",
        **{"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status == 200
    assert "location" not in one_click.headers
    assert "You are unsubscribed" in one_click.body
    assert status_of(service.database, ANN) == "unsubscribed"

    delivered = len(handler.messages)
    result = send_digest(
        service.settings_file, service.database, tmp_path, server, [NOVEMBER, LATER]
    )
    assert result.returncode == 0, result.stderr
    assert len(handler.messages) == delivered  # nobody left to send to

    store = Store(service.database)
    kinds = [e["kind"] for e in store.history(ANN)]
    store.close()
    assert kinds == ["signup requested", "confirmed", "unsubscribed"]


def test_the_answer_is_the_same_for_a_new_a_pending_and_a_subscribed_address(
    service, mail
):
    handler, _ = mail
    http("POST", sign_up(service, handler), {})
    other = "x.y@example.org"
    subscribed = http("POST", f"{service.url}/subscribe", {"email": ANN})
    new = http("POST", f"{service.url}/subscribe", {"email": other})
    pending = http("POST", f"{service.url}/subscribe", {"email": other})
    assert subscribed.status == new.status == pending.status == 200
    assert new.body == pending.body == subscribed.body.replace(ANN, other)
    # The subscribed address got no second email; the pending one a new link.
    wait_for_messages(handler, 3)
    recipients = [m["To"].addresses[0].addr_spec for m in handler.parsed()]
    assert recipients == [ANN, other, other]
    assert status_of(service.database, ANN) == "subscribed"


def test_the_honeypot_and_a_bad_address_store_nothing(service, mail):
    handler, _ = mail
    bot = http(
        "POST",
        f"{service.url}/subscribe",
        {"email": "bot@example.org", "website": "http://spam"},
    )
    assert bot.status == 200 and "Check your inbox" in bot.body
    bad = http("POST", f"{service.url}/subscribe", {"email": "not an address"})
    assert bad.status == 400
    assert "does not look like an email address" in bad.body
    assert 'value="not an address"' in bad.body  # kept in the field to fix
    empty = http("POST", f"{service.url}/subscribe", {})
    assert empty.status == 400
    assert status_of(service.database, "bot@example.org") is None
    store = Store(service.database)
    assert store.counts() == {}
    store.close()
    assert handler.messages == []


def test_a_tampered_or_expired_or_stale_link_changes_nothing(service, mail):
    handler, _ = mail
    link = sign_up(service, handler)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    for method in ("GET", "POST"):
        answer = http(method, tampered, {})
        assert answer.status == 400 and "This link is not valid" in answer.body
    token = link.rsplit("/", 1)[1]
    email, nonce = Signer(SECRET.encode(), SETTINGS["list_id"]).verify(
        CONFIRM, token, 2
    )
    expired = Signer(SECRET.encode(), SETTINGS["list_id"]).sign(
        CONFIRM, email, nonce, lifetime=-60
    )
    answer = http("POST", f"{service.url}/confirm/{expired}", {})
    assert answer.status == 410 and "expired" in answer.body
    other_list = Signer(SECRET.encode(), "Another <other.example.org>").sign(
        CONFIRM, email, nonce, lifetime=600
    )
    assert http("POST", f"{service.url}/confirm/{other_list}", {}).status == 400
    bad_unsubscribe = http("POST", f"{service.url}/unsubscribe/{token}", {})
    assert bad_unsubscribe.status == 400  # a confirm token is no unsubscribe token
    assert status_of(service.database, ANN) == "pending"

    newer = sign_up(service, handler)  # a second request: the first link is stale
    stale = http("POST", link, {})
    assert stale.status == 410 and "no longer valid" in stale.body
    assert status_of(service.database, ANN) == "pending"
    assert http("POST", newer, {}).status == 200
    assert status_of(service.database, ANN) == "subscribed"


def test_rate_limits_per_address_and_per_client(tmp_path, database_url, mail):
    handler, server = mail
    digest = service_digest(signups_per_address=2, signups_per_client=4)
    with running_service(tmp_path, digest, database=database_url, smtp=server) as svc:
        for _ in range(3):
            answer = http("POST", f"{svc.url}/subscribe", {"email": ANN})
            assert answer.status == 200
        wait_for_messages(handler, 2)
        # The third request within a day got the same page, and no email.
        assert len(handler.messages) == 2
        fourth = http("POST", f"{svc.url}/subscribe", {"email": "b@example.org"})
        assert fourth.status == 200
        limited = http("POST", f"{svc.url}/subscribe", {"email": "c@example.org"})
        assert limited.status == 429 and "Too many sign-ups" in limited.body
    assert status_of(database_url, "c@example.org") is None


def test_the_subscriber_downloads_and_erases_their_data_by_a_signed_link(service, mail):
    handler, _ = mail
    http("POST", sign_up(service, handler), {})
    before = len(handler.messages)
    asked = http("POST", f"{service.url}/privacy", {"email": ANN})
    unknown = http("POST", f"{service.url}/privacy", {"email": "who@example.org"})
    assert asked.status == unknown.status == 200
    assert asked.body == unknown.body.replace("who@example.org", ANN)
    wait_for_messages(handler, before + 1)
    assert len(handler.messages) == before + 1  # none for the unknown address
    link = link_in(handler.parsed()[-1], f"{service.url}/privacy/")
    page = http("GET", link)
    assert page.status == 200 and "Download my data" in page.body
    exported = http("POST", f"{link}/export", {})
    assert exported.status == 200
    assert exported.headers["content-disposition"].startswith("attachment")
    data = json.loads(exported.body)
    assert data["subscriber"]["email"] == ANN
    assert data["subscriber"]["status"] == "subscribed"
    assert data["subscriber"]["consent_method"] == "double opt-in (confirmation link)"
    assert [e["kind"] for e in data["history"]] == ["signup requested", "confirmed"]
    erased = http("POST", f"{link}/erase", {})
    assert erased.status == 200 and "erased" in erased.body
    assert status_of(service.database, ANN) is None
    store = Store(service.database)
    assert store.counts() == {"erased": 1}
    store.close()
    assert http("POST", f"{link}/erase", {}).status == 200  # twice: still fine


def test_the_service_stops_at_start_with_one_line_when_the_database_fails(tmp_path):
    settings = tmp_path / "conf.py"
    settings.write_text(f"DIGEST = {service_digest()!r}\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "digest",
            "--settings",
            str(settings),
            "serve",
            "--port",
            "1",
            "--database",
            "postgresql://digest@127.0.0.1:1/none",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"DIGEST_SECRET": SECRET, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "cannot open the database" in result.stderr


def test_the_service_needs_its_secret(tmp_path):
    settings = tmp_path / "conf.py"
    settings.write_text(f"DIGEST = {service_digest()!r}\n")
    result = subprocess.run(
        [sys.executable, "-m", "digest", "--settings", str(settings), "serve"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 2
    assert "DIGEST_SECRET" in result.stderr and "Traceback" not in result.stderr
