"""The subscribers CSV: `email,name,status`, one subscriber a line."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from digest.errors import DigestError
from digest.text import one_line

STATUSES = {"", "subscribed", "active", "unsubscribed"}
# Deliberately plain: one @, no spaces or brackets, a dot in the domain. The
# server is the final judge; this catches typos and pasted junk.
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def is_valid_address(email: str) -> bool:
    """Plausible as an address: what the sign-up form and the CSV accept."""
    return len(email) <= 254 and _ADDRESS.fullmatch(email) is not None


@dataclass(frozen=True)
class Subscriber:
    email: str
    name: str

    @property
    def key(self) -> str:
        """Case-insensitive identity: the same person however it is typed."""
        return self.email.casefold()


@dataclass
class SubscriberList:
    # A list (a CSV file's), or the database read a page at a time: iterated
    # once per run, never held whole.
    subscribers: Iterable[Subscriber]
    problems: list[str]  # "FILE:LINE: what is wrong", each row skipped


def read_csv_rows(path: Path) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(email, name, status) rows, status "subscribed" or "unsubscribed".

    A row with an unknown status or an invalid address is a problem
    ("FILE:LINE: ..."), left out.
    """
    if not path.is_file():
        raise DigestError(f"{path}: no such subscribers file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip().lower() for c in (reader.fieldnames or [])]
        if "email" not in columns:
            raise DigestError(
                f"{path}:1: the first line must name the columns email,name,status"
            )
        reader.fieldnames = columns
        rows: list[tuple[str, str, str]] = []
        problems: list[str] = []
        for row in reader:
            line = reader.line_num
            email = (row.get("email") or "").strip()
            status = (row.get("status") or "").strip().lower()
            if status not in STATUSES:
                problems.append(f"{path}:{line}: unknown status {status!r}, skipped")
            elif status == "unsubscribed":
                rows.append((email, "", status))
            elif not is_valid_address(email):
                problems.append(f"{path}:{line}: invalid address {email!r}, skipped")
            else:
                rows.append((email, one_line(row.get("name") or ""), "subscribed"))
    return rows, problems


def read_subscribers(path: Path) -> SubscriberList:
    rows, problems = read_csv_rows(path)
    subscribers: list[Subscriber] = []
    seen: set[str] = set()
    # "unsubscribed" wins over a "subscribed" row for the same address anywhere.
    unsubscribed = {e.casefold() for e, _, status in rows if status == "unsubscribed"}
    for email, name, status in rows:
        subscriber = Subscriber(email=email, name=name)
        if status == "unsubscribed" or subscriber.key in seen:
            continue
        seen.add(subscriber.key)
        subscribers.append(subscriber)
    kept = [s for s in subscribers if s.key not in unsubscribed]
    return SubscriberList(kept, problems)
