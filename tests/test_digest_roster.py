"""The database's subscribers are read a page at a time while the digest goes out."""

from __future__ import annotations

import tracemalloc

from digest.roster import open_roster
from digest.store import Store


def test_pages_give_everyone_subscribed_in_join_order(database_url):
    store = Store(database_url)
    rows = [(f"r{n}@example.org", f"R {n}", "subscribed") for n in range(7)]
    rows[3] = ("left@example.org", "Left", "unsubscribed")
    store.import_rows(rows, source="t.csv")
    emails = [s.email for s in store.each_subscribed(page=2)]
    assert emails == [r[0] for r in rows if r[2] == "subscribed"]
    store.close()


def test_someone_who_leaves_mid_run_is_not_mailed(database_url):
    """Each page is read when it is reached, not all at the start."""
    store = Store(database_url)
    store.import_rows(
        [(f"r{n}@example.org", "", "subscribed") for n in range(6)], source="t.csv"
    )
    seen = []
    for subscriber in store.each_subscribed(page=2):
        seen.append(subscriber.email)
        if subscriber.email == "r0@example.org":
            store.unsubscribe("r4@example.org", "one-click")
    assert "r4@example.org" not in seen and len(seen) == 5
    store.close()


def test_the_roster_holds_one_page_not_the_list(tmp_path):
    """Python memory while walking 3,000 subscribers: about one page's worth."""
    database = str(tmp_path / "subscribers.db")
    store = Store(database)
    store.import_rows(
        [(f"reader{n}@example.org", f"Reader {n}", "subscribed") for n in range(3000)],
        source="t.csv",
    )
    store.close()
    roster, store = open_roster(None, database)
    tracemalloc.start()
    try:
        count = sum(1 for _ in roster.subscribers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        store.close()
    assert count == 3000
    # A Subscriber and its two strings: ~300 bytes; the whole list would be
    # ~1 MB. One page of 500 and the query's rows stay well under 400 KB.
    assert peak < 400_000, peak
