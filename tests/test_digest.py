"""The digest command against a real SMTP server (aiosmtpd) and a Maildir."""

from __future__ import annotations

import fcntl
import json
import mailbox
from collections import Counter
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from digest.errors import DeliveryFailed, DigestError
from digest.run import SendOptions, send
from digest.state import Journal, load_state
from tests.digest_support import (
    NOW,
    SETTINGS,
    FeedEntry,
    Recorder,
    digest_settings,
    smtp_server,
    write_feed,
    write_subscribers,
)
from tests.sitebuild import run_module

OCTOBER = FeedEntry("october", "October's Essay", "2026-10-25")
NOVEMBER = FeedEntry(
    "november",
    "November’s Essay",
    "2026-11-01",
    html='<p>Read <a href="../quick-reference/">the list</a>.</p>'
    '<p><img src="/images/x.png" alt="x"></p>',
)
OLD = FeedEntry("old", "An Old Essay", "2026-01-01")

FIVE = [f"reader{n}@example.org" for n in range(1, 6)]


def options(tmp_path: Path, feed: Path, **overrides) -> SendOptions:
    values = {
        "feed": str(feed),
        "subscribers": tmp_path / "subscribers.csv",
        "state": tmp_path / "state.json",
        "since": None,
        "smtp": None,
        "outbox": tmp_path / "outbox",
        "dry_run": False,
        "now": NOW,
    }
    return SendOptions(**{**values, **overrides})


@pytest.fixture
def feed(tmp_path) -> Path:
    return write_feed(tmp_path / "feed.xml", [OLD, OCTOBER, NOVEMBER])


@pytest.fixture
def five(tmp_path) -> Path:
    return write_subscribers(tmp_path / "subscribers.csv", [f"{a},," for a in FIVE])


def absolute(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https", "mailto")


def test_smtp_delivers_one_complete_message_to_each_subscriber(tmp_path, feed, five):
    recorder = Recorder()
    with smtp_server(recorder) as address:
        report = send(digest_settings(), options(tmp_path, feed, smtp=address))
    assert sorted(recorder.recipients()) == FIVE
    assert report.delivered == 5 and report.entries == 2
    messages = recorder.parsed()
    assert len({m["Message-ID"] for m in messages}) == 5
    for message in messages:
        (recipient,) = [a.addr_spec for a in message["To"].addresses]
        assert message.get_content_type() == "multipart/alternative"
        parts = [p.get_content_type() for p in message.iter_parts()]
        assert parts == ["text/plain", "text/html"]
        assert message["Subject"].strip() == (
            "Understanding Customer Service: 2 new essays, October–November 2026"
        )
        assert message["From"] == SETTINGS["from"]
        assert message["Reply-To"] == SETTINGS["reply_to"]
        assert message["List-Id"] == SETTINGS["list_id"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        quoted = recipient.replace("@", "%40")
        assert message["List-Unsubscribe"].strip() == (
            f"<https://essays.example.org/unsubscribe?email={quoted}>, "
            "<mailto:unsubscribe@essays.example.org?subject=unsubscribe>"
        )
        assert message["Date"].datetime == NOW
        html = message.get_body(("html",)).get_content()
        text = message.get_body(("plain",)).get_content()
        assert len(html.encode()) < 100_000
        tree = lxml.html.fromstring(html)
        urls = [link for _e, _a, link, _p in tree.iterlinks()]
        assert urls and all(absolute(u) for u in urls), urls
        assert "https://essays.example.org/quick-reference/" in urls
        assert "https://essays.example.org/images/x.png" in urls
        assert f"https://essays.example.org/unsubscribe?email={quoted}" in urls
        assert "prefers-color-scheme: dark" in html  # kept by keep_at_rules
        assert 'style="' in html  # and the rest inlined
        assert "October's Essay" in text and "November’s Essay" in text
        assert (
            f"Unsubscribe: https://essays.example.org/unsubscribe?email={quoted}"
            in (text)
        )
        assert "An Old Essay" not in text  # before the default period


@pytest.mark.parametrize(
    "failing",
    [
        Recorder(fail_after=2, failure="451 4.3.0 Try again later"),
        Recorder(fail_after=2, failure="421 4.3.2 Closing", drop=True),
    ],
    ids=["451", "421-and-drop"],
)
def test_a_failure_midway_then_a_rerun_serves_everyone_exactly_once(
    tmp_path, feed, five, failing
):
    settings = digest_settings()
    gave_up = pytest.raises(
        DeliveryFailed, match="3 deferred, tried again by the next run: reader3@"
    )
    with smtp_server(failing) as address, gave_up:
        send(settings, options(tmp_path, feed, smtp=address))
    state = load_state(tmp_path / "state.json")
    assert state.pending is not None and state.sent == []
    assert set(Journal(tmp_path / "state.json").served(state.pending.digest_id)) == {
        "reader1@example.org",
        "reader2@example.org",
    }

    healthy = Recorder()
    with smtp_server(healthy) as address:
        report = send(settings, options(tmp_path, feed, smtp=address))
    assert report.already_served == 2 and report.delivered == 3
    everyone = Counter(failing.recipients() + healthy.recipients())
    assert everyone == Counter(FIVE)  # each exactly once
    # The rerun finished the same digest, not a new one.
    subjects = {m["Subject"] for m in failing.parsed() + healthy.parsed()}
    assert len(subjects) == 1
    state = load_state(tmp_path / "state.json")
    assert state.pending is None
    assert sorted(state.sent) == sorted(
        f"tag:essays.example.org,{e.published}:/{e.slug}/" for e in (OCTOBER, NOVEMBER)
    )
    assert not (tmp_path / "state.json.delivered").exists()


def test_a_rerun_with_nothing_new_sends_nothing(tmp_path, feed, five):
    first = Recorder()
    with smtp_server(first) as address:
        send(digest_settings(), options(tmp_path, feed, smtp=address))
        again = send(digest_settings(), options(tmp_path, feed, smtp=address))
    assert len(first.messages) == 5
    assert again.entries == 0 and again.delivered == 0


def test_only_new_entries_go_out_the_next_time(tmp_path, feed, five):
    send(digest_settings(), options(tmp_path, feed))
    december = FeedEntry("december", "December's Essay", "2026-12-01")
    write_feed(feed, [OLD, OCTOBER, NOVEMBER, december])
    later = datetime(2026, 12, 2, tzinfo=UTC)
    report = send(digest_settings(), options(tmp_path, feed, now=later))
    assert report.entries == 1
    assert report.subject.endswith("1 new essay, December 2026")
    outbox = mailbox.Maildir(tmp_path / "outbox", create=False)
    subjects = Counter(message["Subject"] for message in outbox)
    assert sorted(subjects.values()) == [5, 5]


def test_first_run_without_state_honours_since_and_never_sends_older_later(
    tmp_path, feed, five
):
    since = datetime(2026, 10, 28, tzinfo=UTC)
    report = send(digest_settings(), options(tmp_path, feed, since=since))
    assert report.entries == 1  # November only
    state = load_state(tmp_path / "state.json")
    assert len(state.skipped) == 2  # old and October: never sent later
    later = send(digest_settings(), options(tmp_path, feed))
    assert later.entries == 0


def test_no_state_and_nothing_new_exits_zero_and_sends_nothing(tmp_path, five):
    feed = write_feed(tmp_path / "feed.xml", [OLD])
    settings_file = tmp_path / "digestconf.py"
    settings_file.write_text(f"DIGEST = {SETTINGS!r}\n")
    result = run_module(
        "digest",
        "--settings",
        str(settings_file),
        "send",
        "--feed",
        str(feed),
        "--subscribers",
        str(five),
        "--state",
        str(tmp_path / "state.json"),
        "--outbox",
        str(tmp_path / "outbox"),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "nothing new" in result.stderr
    assert not (tmp_path / "outbox" / "new").exists() or not any(
        (tmp_path / "outbox" / "new").iterdir()
    )


def test_cli_exits_non_zero_when_the_server_fails_midway(tmp_path, feed, five):
    settings_file = tmp_path / "digestconf.py"
    settings_file.write_text(f"DIGEST = {SETTINGS!r}\n")
    failing = Recorder(fail_after=1)
    with smtp_server(failing) as (host, port):
        result = run_module(
            "digest",
            "--settings",
            str(settings_file),
            "send",
            f"--feed={feed}",
            f"--subscribers={five}",
            f"--state={tmp_path / 'state.json'}",
            f"--smtp={host}:{port}",
            "--since=2026-10-01",  # not the last 31 days of the real clock
            "--connections=1",  # so that reader1 is the one accepted
            timeout=60,
        )
    assert result.returncode == 1
    # The deferred are named, their addresses masked as in every log line
    # (digest/privacy.py).
    assert (
        "4 deferred, tried again by the next run: " in result.stderr
        and "r***@example.org (3 attempts, last: 451 4.3.0 Try again later)"
        in result.stderr
    ), result.stderr
    assert "reader2@example.org" not in result.stderr
    assert len(failing.messages) == 1


def test_a_second_run_stops_while_the_first_holds_the_lock(tmp_path, feed, five):
    lock = tmp_path / "state.json.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(DigestError, match="another digest run") as stopped:
            send(digest_settings(), options(tmp_path, feed))
    assert stopped.value.exit_code == 75
    assert not (tmp_path / "outbox").exists()


def test_maildir_outbox_is_the_default(tmp_path, feed, five):
    send(digest_settings(), options(tmp_path, feed))
    outbox = mailbox.Maildir(tmp_path / "outbox", create=False)
    recipients = sorted(m["To"] for m in outbox)
    assert recipients == FIVE
    message = next(iter(outbox))
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed.get_body(("html",)) is not None


def test_dry_run_writes_and_sends_nothing(tmp_path, feed, five):
    report = send(digest_settings(), options(tmp_path, feed, dry_run=True))
    assert report.entries == 2 and report.delivered == 0
    assert not (tmp_path / "state.json").exists()
    assert not (tmp_path / "outbox").exists()


def test_bad_csv_rows_are_reported_by_line_and_skipped(tmp_path, feed, caplog):
    write_subscribers(
        tmp_path / "subscribers.csv",
        [
            "ada@example.org,Ada,subscribed",  # line 2
            "not-an-address,Bob,subscribed",  # line 3
            "ADA@Example.org,Ada again,",  # line 4: duplicate
            "carl@example.org,Carl,unsubscribed",  # line 5
            "dee@example.org,Dee,maybe",  # line 6: unknown status
            "eve@example.org,Eve,",  # line 7
            "Eve@example.org,Eve,unsubscribed",  # line 8: wins over line 7
            "fay@@example.org,Fay,",  # line 9
        ],
    )
    recorder = Recorder()
    with smtp_server(recorder) as address:
        send(digest_settings(), options(tmp_path, feed, smtp=address))
    assert recorder.recipients() == ["ada@example.org"]
    csv_path = tmp_path / "subscribers.csv"
    assert f"{csv_path}:3: invalid address 'not-an-address'" in caplog.text
    assert f"{csv_path}:6: unknown status 'maybe'" in caplog.text
    assert f"{csv_path}:9: invalid address 'fay@@example.org'" in caplog.text
    assert ":4:" not in caplog.text  # a duplicate is no error


def test_a_csv_without_an_email_column_names_the_file(tmp_path, feed):
    (tmp_path / "subscribers.csv").write_text("mail,name\nada@example.org,Ada\n")
    with pytest.raises(DigestError, match=r"subscribers\.csv:1: the first line"):
        send(digest_settings(), options(tmp_path, feed))


def test_a_feed_title_can_never_inject_a_header(tmp_path):
    evil = FeedEntry(
        "evil", "Hello\r\nBcc: victim@example.net\r\n\r\nbody", "2026-11-02"
    )
    feed = write_feed(
        tmp_path / "feed.xml",
        [evil],
        title="Essays\r\nBcc: victim@example.net\nX-Injected: yes",
    )
    write_subscribers(
        tmp_path / "subscribers.csv", ['ada@example.org,"Ada\r\nCc: x@example.net",']
    )
    recorder = Recorder()
    with smtp_server(recorder) as address:
        send(digest_settings(), options(tmp_path, feed, smtp=address))
    assert recorder.recipients() == ["ada@example.org"]
    raw = recorder.messages[0][1]
    head = raw.split(b"\r\n\r\n", 1)[0]
    names = [line.split(b":", 1)[0].lower() for line in head.split(b"\r\n")]
    names = [n for n in names if n and not n.startswith((b" ", b"\t"))]
    assert b"bcc" not in names and b"x-injected" not in names and b"cc" not in names
    message = message_from_bytes(raw, policy=policy.default)
    # The words stay, on one line; folding may start the value on a new line.
    subject = message["Subject"].strip()
    assert subject.startswith("Essays Bcc: victim@example.net X-Injected: yes")
    assert "\n" not in subject


def test_a_torn_journal_line_is_ignored_and_repaired(tmp_path, feed, five):
    failing = Recorder(fail_after=1)
    with smtp_server(failing) as address, pytest.raises(DeliveryFailed):
        send(digest_settings(), options(tmp_path, feed, smtp=address))
    journal = tmp_path / "state.json.delivered"
    with journal.open("ab") as handle:
        handle.write(b"cut-short-by-a-crash\tdeliv")  # no newline: never complete
    healthy = Recorder()
    with smtp_server(healthy) as address:
        send(digest_settings(), options(tmp_path, feed, smtp=address))
    assert Counter(failing.recipients() + healthy.recipients()) == Counter(FIVE)


def test_a_password_is_never_sent_without_tls(tmp_path, feed, five, monkeypatch):
    monkeypatch.setenv("DIGEST_SMTP_USER", "digest")
    monkeypatch.setenv("DIGEST_SMTP_PASSWORD", "secret")
    recorder = Recorder()
    with smtp_server(recorder) as address, pytest.raises(DigestError, match="in clear"):
        send(digest_settings(), options(tmp_path, feed, smtp=address))
    assert recorder.messages == []


def test_an_essays_image_enclosure_heads_its_entry(tmp_path, five):
    pictured = FeedEntry(
        "pictured", "A Pictured Essay", "2026-11-05", image="../images/pixel.png"
    )
    feed = write_feed(tmp_path / "feed.xml", [NOVEMBER, pictured])
    send(digest_settings(), options(tmp_path, feed))
    message = next(iter(mailbox.Maildir(tmp_path / "outbox", create=False)))
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    tree = lxml.html.fromstring(parsed.get_body(("html",)).get_content())
    images = [img.get("src") for img in tree.xpath("//img[@class='entry-image']")]
    # Relative in the feed, resolved against the essay's own address.
    assert images == ["https://essays.example.org/images/pixel.png"]


def test_an_image_the_essay_shows_already_is_not_shown_twice(tmp_path, five):
    # The site's feeds are absolute: the enclosure and the <img> in the text
    # name the same address.
    image = "https://essays.example.org/images/pixel.png"
    pictured = FeedEntry(
        "pictured",
        "A Pictured Essay",
        "2026-11-05",
        html=f'<p>Look:</p><p><img src="{image}" alt="A pixel"></p>',
        image=image,
    )
    feed = write_feed(tmp_path / "feed.xml", [pictured])
    send(digest_settings(), options(tmp_path, feed))
    message = next(iter(mailbox.Maildir(tmp_path / "outbox", create=False)))
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    tree = lxml.html.fromstring(parsed.get_body(("html",)).get_content())
    assert tree.xpath("//img[@class='entry-image']") == []
    assert [img.get("src") for img in tree.iter("img")] == [image]


def test_state_file_is_json_a_person_can_read(tmp_path, feed, five):
    send(digest_settings(), options(tmp_path, feed))
    data = json.loads((tmp_path / "state.json").read_text())
    assert data["version"] == 1 and data["pending"] is None
    assert len(data["sent"]) == 2 and len(data["skipped"]) == 1


def test_unknown_settings_key_is_named(tmp_path):
    with pytest.raises(DigestError, match=r"unknown key\(s\) \['form'\]"):
        digest_settings(form="x@example.org")
    with pytest.raises(DigestError, match="unsubscribe_url.*https://"):
        digest_settings(unsubscribe_url="http://example.org/u?e={email}")
