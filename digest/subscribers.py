"""The subscribers CSV: `email,name,status`, one subscriber a line."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from digest.errors import DigestError
from digest.text import one_line

STATUSES = {"", "subscribed", "active", "unsubscribed"}
# Deliberately plain: one @, no spaces or brackets, a dot in the domain. The
# server is the final judge; this catches typos and pasted junk.
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


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
    subscribers: list[Subscriber]
    problems: list[str]  # "FILE:LINE: what is wrong", each row skipped


def read_subscribers(path: Path) -> SubscriberList:
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
        subscribers: list[Subscriber] = []
        problems: list[str] = []
        seen: set[str] = set()
        unsubscribed: set[str] = set()
        for row in reader:
            line = reader.line_num
            email = (row.get("email") or "").strip()
            status = (row.get("status") or "").strip().lower()
            if status not in STATUSES:
                problems.append(f"{path}:{line}: unknown status {status!r}, skipped")
                continue
            if status == "unsubscribed":
                # Wins over a "subscribed" row for the same address anywhere.
                unsubscribed.add(email.casefold())
                continue
            if not _ADDRESS.fullmatch(email):
                problems.append(f"{path}:{line}: invalid address {email!r}, skipped")
                continue
            subscriber = Subscriber(email=email, name=one_line(row.get("name") or ""))
            if subscriber.key in seen:
                continue
            seen.add(subscriber.key)
            subscribers.append(subscriber)
    kept = [s for s in subscribers if s.key not in unsubscribed]
    return SubscriberList(kept, problems)
