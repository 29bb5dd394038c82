"""`digest bounces`: DSNs (flufl.bounce), complaints (ARF) and unsubscribe
mails read from a Maildir or an mbox mark the list, once, on both databases."""

from __future__ import annotations

import mailbox
from pathlib import Path

from digest.store import Store
from tests.sitebuild import run_module
from tests.subscriptions_support import SECRET, service_digest, write_settings

FIXTURES = Path(__file__).parent / "fixtures" / "bounces"
READERS = [
    "gone.reader@example.com",
    "slow.reader@example.com",
    "cross.reader@example.com",
    "quiet.reader@example.com",
    "old.reader@example.com",
    "kind.reader@example.com",
]


def fill(box: mailbox.Mailbox) -> None:
    for fixture in sorted(FIXTURES.glob("*.eml")):
        box.add(fixture.read_bytes())
    box.close()


def run_bounces(tmp_path: Path, database: str, *source: str):
    settings = write_settings(tmp_path, service_digest(bounce_limit=1))
    return run_module(
        "digest",
        "--settings",
        str(settings),
        "bounces",
        *source,
        "--database",
        database,
        env={"DIGEST_SECRET": SECRET},
    )


def test_bounces_complaints_and_unsubscribe_mails_mark_the_list(tmp_path, database_url):
    store = Store(database_url)
    store.import_rows([(a, "", "subscribed") for a in READERS], source="t.csv")
    maildir = tmp_path / "Maildir"
    fill(mailbox.Maildir(maildir))
    result = run_bounces(tmp_path, database_url, "--maildir", str(maildir))
    assert result.returncode == 0, result.stderr
    assert "2 hard bounces" in result.stderr and "1 complaints" in result.stderr
    status = {a: store.get(a)["status"] for a in READERS}
    assert status == {
        "gone.reader@example.com": "bounced",  # Postfix's DSN, 5.1.1
        "slow.reader@example.com": "subscribed",  # delayed: only noted
        "cross.reader@example.com": "complained",  # ARF feedback report
        "quiet.reader@example.com": "unsubscribed",  # mail to the mailto
        "old.reader@example.com": "bounced",  # qmail's non-standard bounce
        "kind.reader@example.com": "subscribed",  # a reply: left alone
    }
    gone = store.get("gone.reader@example.com")
    assert gone["last_failure"].startswith("5.1.1 smtp; 550 5.1.1")
    assert "soft bounce" in [
        e["kind"] for e in store.history("slow.reader@example.com")
    ]
    # Run again: nothing is counted twice, the mailbox is unchanged.
    before = {a: len(store.history(a)) for a in READERS}
    again = run_bounces(tmp_path, database_url, "--maildir", str(maildir))
    assert "6 already processed" in again.stderr, again.stderr
    assert {a: len(store.history(a)) for a in READERS} == before
    assert len(list(mailbox.Maildir(maildir, create=False).iterkeys())) == 6
    assert "gone.reader@" not in result.stderr + again.stderr  # masked in logs
    store.close()


def test_an_mbox_works_the_same(tmp_path):
    database = str(tmp_path / "s.db")
    store = Store(database)
    store.import_rows([(a, "", "subscribed") for a in READERS], source="t.csv")
    fill(mailbox.mbox(tmp_path / "bounces.mbox"))
    result = run_bounces(tmp_path, database, "--mbox", str(tmp_path / "bounces.mbox"))
    assert result.returncode == 0, result.stderr
    assert store.get("cross.reader@example.com")["status"] == "complained"
    assert store.get("gone.reader@example.com")["status"] == "bounced"
    store.close()


def test_a_missing_mailbox_is_one_line(tmp_path):
    database = str(tmp_path / "s.db")
    Store(database).close()
    result = run_bounces(tmp_path, database, "--maildir", str(tmp_path / "none"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "not a Maildir" in result.stderr
