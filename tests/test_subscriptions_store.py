"""The subscribers' database, on SQLite and on PostgreSQL: schema, history,
import and export, and `digest send` reading it (a real SMTP server)."""

from __future__ import annotations

import csv
import sqlite3

import pytest

from digest.errors import DeliveryFailed
from digest.run import send
from digest.sending import DEFERRAL_RUNS
from digest.store import Store, StoreError
from tests.digest_support import (
    Recorder,
    smtp_server,
    write_feed,
    write_subscribers,
)
from tests.sitebuild import run_module
from tests.subscriptions_support import (
    NOVEMBER,
    SECRET,
    RefusingRecorder,
    send_options,
    service_settings,
)


def test_a_new_database_gets_the_schema_and_a_reopened_one_keeps_its_rows(
    database_url,
):
    store = Store(database_url)
    assert store.schema_version() == 1
    store.import_rows([("Ann@Example.org", "Ann", "subscribed")], source="t.csv")
    store.close()
    again = Store(database_url)
    assert [s.email for s in again.subscribed()] == ["Ann@Example.org"]
    assert again.schema_version() == 1
    again.close()


def test_a_database_newer_than_the_code_stops_with_one_line(tmp_path):
    path = tmp_path / "subscribers.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')"
        )
    with pytest.raises(StoreError, match="version 99, newer than this code's"):
        Store(str(path))


def test_a_database_that_cannot_be_opened_is_one_line_naming_it(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_module(
        "digest",
        "subscribers",
        "export",
        "-",
        "--database",
        str(blocker / "sub" / "x.db"),
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "x.db" in result.stderr and "Traceback" not in result.stderr
    down = run_module(
        "digest",
        "subscribers",
        "import",
        str(tmp_path / "file"),
        "--database",
        "postgresql://nobody:hunter2@127.0.0.1:1/none",
    )
    assert down.returncode == 2 and "Traceback" not in down.stderr
    assert "cannot open the database" in down.stderr
    assert "hunter2" not in down.stderr  # the password never printed


def test_import_then_export_keeps_every_subscriber_and_status(database_url, tmp_path):
    source = write_subscribers(
        tmp_path / "list.csv",
        [
            "ann@example.org,Ann,",
            "bob@example.org,Bob,subscribed",
            "cy@example.org,,unsubscribed",
            "not-an-address,X,",
            "dee@example.org,Dee,weird",
        ],
    )
    result = run_module(
        "digest", "subscribers", "import", str(source), "--database", database_url
    )
    assert result.returncode == 1, result.stderr  # two rows skipped, said so
    assert "list.csv:5: invalid address" in result.stderr
    assert "list.csv:6: unknown status 'weird'" in result.stderr
    assert "3 added" in result.stderr
    exported = tmp_path / "out.csv"
    result = run_module(
        "digest", "subscribers", "export", str(exported), "--database", database_url
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(exported.open()))
    assert [(r["email"], r["name"], r["status"]) for r in rows] == [
        ("ann@example.org", "Ann", "subscribed"),
        ("bob@example.org", "Bob", "subscribed"),
        ("cy@example.org", "", "unsubscribed"),
    ]
    assert rows[0]["consent_method"] == "imported from list.csv"
    assert rows[0]["consent_at"].startswith("20")
    assert rows[2]["consent_at"] == ""


def test_an_old_file_imported_again_never_resubscribes_anyone(database_url, tmp_path):
    store = Store(database_url)
    store.import_rows([("ann@example.org", "Ann", "subscribed")], source="a.csv")
    assert store.unsubscribe("ann@example.org", "one-click")
    counts = store.import_rows(
        [("ANN@example.org", "Ann", "subscribed")], source="old.csv"
    )
    assert counts == {"added": 0, "unchanged": 1, "ended": 0}
    assert store.get("ann@example.org")["status"] == "unsubscribed"
    assert store.subscribed() == []
    kinds = [e["kind"] for e in store.history("ann@example.org")]
    assert kinds == ["imported as subscribed", "unsubscribed"]
    store.close()


def test_send_reads_the_database_and_records_a_refusal_on_the_subscriber(
    database_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    store = Store(database_url)
    store.import_rows(
        [
            ("ann@example.org", "Ann", "subscribed"),
            ("gone@example.org", "Gone", "subscribed"),
            ("left@example.org", "Left", "unsubscribed"),
        ],
        source="t.csv",
    )
    feed = write_feed(tmp_path / "feed.xml", [NOVEMBER])
    handler = RefusingRecorder(refuse={"gone@example.org"})
    settings = service_settings(database=database_url, bounce_limit=1)
    with smtp_server(handler) as server:
        report = send(settings, send_options(tmp_path, feed, smtp=server))
    assert handler.recipients() == ["ann@example.org"]
    assert (report.delivered, report.rejected) == (1, 1)
    gone = store.get("gone@example.org")
    assert gone["status"] == "bounced"
    assert gone["failures"] == 1
    assert gone["last_failure"].startswith("550 ")
    assert "No such user" in gone["last_failure"]
    assert [e["kind"] for e in store.history("gone@example.org")][-2:] == [
        "refused at RCPT",
        "bounced",
    ]
    store.close()


def test_a_one_off_csv_still_sends_but_skips_who_left_through_the_service(
    database_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    store = Store(database_url)
    store.unsubscribe("left@example.org", "one-click")
    csv_file = write_subscribers(
        tmp_path / "one-off.csv", ["new@example.org,New,", "left@example.org,L,"]
    )
    feed = write_feed(tmp_path / "feed.xml", [NOVEMBER])
    handler = Recorder()
    settings = service_settings(database=database_url)
    with smtp_server(handler) as server:
        send(
            settings,
            send_options(tmp_path, feed, smtp=server, subscribers=csv_file),
        )
    assert handler.recipients() == ["new@example.org"]
    store.close()


def test_send_without_a_database_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    feed = write_feed(tmp_path / "feed.xml", [NOVEMBER])
    missing = tmp_path / "none.db"
    with pytest.raises(StoreError, match="none.db: no such database"):
        send(service_settings(database=str(missing)), send_options(tmp_path, feed))
    assert not missing.exists()


def test_the_history_is_never_deleted_even_by_erasure(database_url):
    store = Store(database_url)
    store.import_rows([("ann@example.org", "Ann", "subscribed")], source="t.csv")
    store.record_event("ann@example.org", "note", "ann@example.org wrote in")
    assert store.erase("ann@example.org")
    assert store.get("ann@example.org") is None
    counts = store.counts()
    assert counts == {"erased": 1}
    rows = store.export_rows()
    assert rows == []  # the owner's export leaves erased rows out
    # The row and its events stay, without the address anywhere.
    cursor_rows = store._transaction  # noqa: SLF001 - checked through SQL below
    with cursor_rows() as cursor:
        (row,) = cursor.all("SELECT email, name, status FROM subscribers")
        events = cursor.all("SELECT kind, detail FROM events ORDER BY id")
    assert row == {"email": "", "name": "", "status": "erased"}
    assert [e["kind"] for e in events] == ["imported as subscribed", "note", "erased"]
    assert not any("ann@" in e["detail"] for e in events)
    store.close()


def test_sqlite_runs_in_wal_mode(tmp_path):
    path = tmp_path / "subscribers.db"
    Store(str(path)).close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_settings_name_the_keys_that_moved(tmp_path):
    def settings_error(**digest) -> str:
        conf = tmp_path / "conf.py"
        base = {
            "from": "D <d@example.org>",
            "list_id": "D <d.example.org>",
            "unsubscribe_mailto": "u@example.org",
            **digest,
        }
        conf.write_text(f"DIGEST = {base!r}\n")
        result = run_module("digest", "--settings", str(conf), "send", "--dry-run")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1, result.stderr
        return result.stderr

    assert "DIGEST['subscribers'] is no longer read" in settings_error(
        service_url="https://e.example.org/s", subscribers="subscribers.csv"
    )
    assert "both 'service_url' and 'unsubscribe_url'" in settings_error(
        service_url="https://e.example.org/s",
        unsubscribe_url="https://e.example.org/u?e={email}",
    )
    assert "service_url'] must be the service's public https://" in settings_error(
        service_url="http://e.example.org/s"
    )
    assert "service_url'] is required" in settings_error()


def test_send_with_the_service_needs_the_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("DIGEST_SECRET", raising=False)
    monkeypatch.delenv("DIGEST_UNSUBSCRIBE_SECRET", raising=False)
    feed = write_feed(tmp_path / "feed.xml", [NOVEMBER])
    from digest.errors import DigestError

    with pytest.raises(DigestError, match="DIGEST_SECRET"):
        send(
            service_settings(database=str(tmp_path / "x.db")),
            send_options(tmp_path, feed),
        )


class RefusingTheData(Recorder):
    """554 after the data of one address, every time."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if "stuck@example.org" in envelope.rcpt_tos:
            return "554 5.7.1 Message content rejected"
        return await super().handle_DATA(server, session, envelope)


def test_a_recipient_given_up_after_its_runs_is_recorded_on_the_subscriber(
    database_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("DIGEST_SECRET", SECRET)
    store = Store(database_url)
    store.import_rows(
        [
            ("ann@example.org", "Ann", "subscribed"),
            ("stuck@example.org", "Stuck", "subscribed"),
        ],
        source="t.csv",
    )
    feed = write_feed(tmp_path / "feed.xml", [NOVEMBER])
    settings = service_settings(database=database_url, bounce_limit=5)
    handler = RefusingTheData()
    with smtp_server(handler) as server:
        for _run in range(DEFERRAL_RUNS):
            # Deferred on the first runs, given up on the last: each exits 1.
            with pytest.raises(DeliveryFailed):
                send(settings, send_options(tmp_path, feed, smtp=server))
            # Only being given up counts: a deferral may still succeed.
            failures = store.get("stuck@example.org")["failures"]
            assert failures == (1 if _run == DEFERRAL_RUNS - 1 else 0)
    assert handler.recipients().count("ann@example.org") == 1
    stuck = store.get("stuck@example.org")
    assert stuck["status"] == "subscribed"  # one failure, below bounce_limit
    assert "554 5.7.1" in stuck["last_failure"]
    assert "failing after retries" in [
        e["kind"] for e in store.history("stuck@example.org")
    ]
    store.close()
