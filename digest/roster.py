"""Whom `send` mails: the database's subscribers, or a one-off CSV list.

With `--subscribers FILE.csv` the file is the list, less every address the
database (when there is one) knows as ended: someone who unsubscribed
through the service is never mailed from an old file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from digest.privacy import masked
from digest.store import Store, sqlite_path
from digest.subscribers import Subscriber, SubscriberList, read_subscribers

logger = logging.getLogger("digest")


class _Subscribed:
    """The database's subscribers, read anew a page at a time on each pass."""

    def __init__(self, store: Store):
        self.store = store

    def __iter__(self) -> Iterator[Subscriber]:
        return self.store.each_subscribed()


def _existing_store(database: str) -> Store | None:
    sqlite = "://" not in database or database.startswith("sqlite:")
    if sqlite and not sqlite_path(database).exists():
        return None
    return Store(database)


def open_roster(
    csv_file: Path | None, database: str
) -> tuple[SubscriberList, Store | None]:
    """The subscribers to send to, and the store to record refusals in."""
    if csv_file is None:
        store = Store(database, create=False)
        return SubscriberList(_Subscribed(store), []), store
    roster = read_subscribers(csv_file)
    store = _existing_store(database)
    if store is not None:
        ended = store.ended_keys()
        kept = [s for s in roster.subscribers if s.key not in ended]
        for left_out in roster.subscribers:
            if left_out.key in ended:
                logger.info(
                    "%s: %s has left the list (database): skipped",
                    csv_file,
                    masked(left_out.email),
                )
        roster = SubscriberList(kept, roster.problems)
    return roster, store
