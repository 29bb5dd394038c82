"""The subscribers' database: SQLite (a file, WAL) or PostgreSQL, one schema.

Every subscriber is one row that is never deleted: its status (pending,
subscribed, unsubscribed, bounced, complained, erased), when and how consent
was given, when and why it ended, its delivery failures. Every change is also
an event row (time, kind, detail), so the history of consent can be shown.

The schema is created and upgraded by MIGRATIONS when a Store opens; a
database newer than this code, or one that cannot be opened, stops with one
line (StoreError). Each method is one transaction. A Store may be shared by
threads: each thread gets its own connection.

The API other parts call (the service, `send`, `bounces`, delivery):
subscribed(), request_signup(), confirm(), unsubscribe(), set_status(),
record_failure(), record_event(), history(), import_rows(), export_rows(),
erase(), inbound_seen() / record_inbound().
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from digest.errors import DigestError
from digest.subscribers import Subscriber

PENDING, SUBSCRIBED, UNSUBSCRIBED = "pending", "subscribed", "unsubscribed"
BOUNCED, COMPLAINED, ERASED = "bounced", "complained", "erased"
STATUSES = (PENDING, SUBSCRIBED, UNSUBSCRIBED, BOUNCED, COMPLAINED, ERASED)
# Statuses that end a subscription: the address is never mailed again unless
# its owner signs up and confirms anew.
ENDED = (UNSUBSCRIBED, BOUNCED, COMPLAINED, ERASED)
# Subscribers read per query while sending (Store.each_subscribed).
SUBSCRIBER_PAGE = 500

# One list of steps for both databases; {id} and {ref} are the only words
# that differ (an auto-numbered key, and a column referring to one).
MIGRATIONS: list[tuple[int, list[str]]] = [
    (
        1,
        [
            """CREATE TABLE subscribers (
                id {id},
                email TEXT NOT NULL,
                email_key TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL CHECK (status IN ('pending', 'subscribed',
                    'unsubscribed', 'bounced', 'complained', 'erased')),
                created_at TEXT NOT NULL,
                status_at TEXT NOT NULL,
                consent_at TEXT,
                consent_method TEXT,
                ended_at TEXT,
                end_reason TEXT,
                confirm_nonce TEXT,
                failures INTEGER NOT NULL DEFAULT 0,
                last_failure_at TEXT,
                last_failure TEXT
            )""",
            "CREATE INDEX subscribers_status ON subscribers (status, id)",
            """CREATE TABLE events (
                id {id},
                subscriber_id {ref} NOT NULL REFERENCES subscribers (id),
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX events_subscriber ON events (subscriber_id, kind, at)",
            """CREATE TABLE inbound_mail (
                message_key TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                outcome TEXT NOT NULL
            )""",
        ],
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

_DIALECT_WORDS = {
    "sqlite": {"id": "INTEGER PRIMARY KEY", "ref": "INTEGER"},
    "postgresql": {"id": "BIGSERIAL PRIMARY KEY", "ref": "BIGINT"},
}


class StoreError(DigestError):
    """The database cannot be opened, migrated or used: one line."""


@dataclass(frozen=True)
class SignupRequest:
    """What request_signup() decided; `nonce` is None when no email is due."""

    status: str
    nonce: str | None
    recent_requests: int


def now_text(when: datetime | None = None) -> str:
    """Timestamps are ISO 8601 text in UTC, so they sort as strings in both."""
    return (
        (when or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    )


def address_key(email: str) -> str:
    return email.strip().casefold()


def redacted_url(url: str) -> str:
    """The URL with its password hidden, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _dialect(url: str) -> str:
    if re.match(r"postgres(ql)?://", url):
        return "postgresql"
    return "sqlite"


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))


class Store:
    """The subscribers' database at `url` (a path, sqlite:///PATH, postgresql://)."""

    def __init__(self, url: str, *, create: bool = True):
        self.url = url
        self.dialect = _dialect(url)
        self.words = _DIALECT_WORDS[self.dialect]
        self._local = threading.local()
        self._connections: list[object] = []
        self._guard = threading.Lock()
        if self.dialect == "sqlite" and not create and not sqlite_path(url).exists():
            raise StoreError(f"{url}: no such database")
        self._migrate()

    # -- connections and transactions -------------------------------------

    def _connect(self):
        where = redacted_url(self.url)
        if self.dialect == "sqlite":
            path = sqlite_path(self.url)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(
                    path, isolation_level=None, check_same_thread=False, timeout=30
                )
                connection.row_factory = sqlite3.Row
                # WAL: readers never wait for the writer; NORMAL is durable
                # at every checkpoint and safe against corruption.
                mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute("PRAGMA foreign_keys=ON")
                connection.execute("PRAGMA busy_timeout=30000")
            except (sqlite3.Error, OSError) as error:
                raise StoreError(
                    f"{where}: cannot open the database: {error}"
                ) from None
            if mode.lower() != "wal":
                raise StoreError(f"{where}: SQLite refused WAL mode ({mode})")
            return connection
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as error:  # pragma: no cover - pinned in requirements
            raise StoreError(
                f"{where}: the psycopg driver is missing: {error}"
            ) from None
        try:
            return psycopg.connect(
                self.url, autocommit=True, row_factory=dict_row, connect_timeout=10
            )
        except psycopg.Error as error:
            reason = str(error).strip().splitlines()[0] if str(error) else error
            raise StoreError(f"{where}: cannot open the database: {reason}") from None

    def _connection(self):
        connection = getattr(self._local, "connection", None)
        if connection is None or getattr(connection, "closed", False):
            connection = self._connect()
            self._local.connection = connection
            with self._guard:
                self._connections.append(connection)
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[_Cursor]:
        connection = self._connection()
        errors = self._errors()
        try:
            if self.dialect == "sqlite":
                # IMMEDIATE: the write lock is taken at the start, so two
                # sign-ups of one address cannot both read "absent".
                connection.execute("BEGIN IMMEDIATE")
                try:
                    yield _Cursor(connection, self.dialect)
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            else:
                with connection.transaction():
                    yield _Cursor(connection, self.dialect)
        except errors as error:
            raise StoreError(
                f"{redacted_url(self.url)}: database error: {error}"
            ) from None

    def _errors(self) -> tuple[type[BaseException], ...]:
        if self.dialect == "sqlite":
            return (sqlite3.Error,)
        import psycopg

        return (psycopg.Error,)

    def close(self) -> None:
        with self._guard:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    # -- schema -------------------------------------------------------------

    def _migrate(self) -> None:
        with self._transaction() as cursor:
            if self.dialect == "postgresql":
                # Several instances starting at once: one migrates, the
                # others wait here and then find the schema current.
                cursor.execute("SELECT pg_advisory_xact_lock(1401)")
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            row = cursor.one("SELECT MAX(version) AS version FROM schema_migrations")
            current = (row["version"] if row else None) or 0
            if current > SCHEMA_VERSION:
                raise StoreError(
                    f"{redacted_url(self.url)}: the database's schema is version "
                    f"{current}, newer than this code's ({SCHEMA_VERSION}): "
                    "update the project"
                )
            for version, steps in MIGRATIONS:
                if version <= current:
                    continue
                for step in steps:
                    cursor.execute(step.format(**self.words))
                cursor.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    (version, now_text()),
                )

    def schema_version(self) -> int:
        with self._transaction() as cursor:
            row = cursor.one("SELECT MAX(version) AS version FROM schema_migrations")
        return row["version"]

    # -- reading --------------------------------------------------------------

    def subscribed(self) -> list[Subscriber]:
        """Everyone the digest goes to, in the order they joined."""
        return list(self.each_subscribed())

    def each_subscribed(self, page: int = SUBSCRIBER_PAGE) -> Iterator[Subscriber]:
        """The same, a page at a time: memory flat in the list's size.

        Keyset pages (id > the last one seen), each read in a transaction of
        its own that ends before its subscribers are handed out: sending
        never holds the database, and someone who joins during the run is
        mailed if their id comes after the current page.
        """
        last = 0
        while True:
            with self._transaction() as cursor:
                rows = cursor.all(
                    "SELECT id, email, name FROM subscribers WHERE status = ? "
                    "AND id > ? ORDER BY id LIMIT ?",
                    (SUBSCRIBED, last, page),
                )
            for row in rows:
                yield Subscriber(email=row["email"], name=row["name"])
            if len(rows) < page:
                return
            last = rows[-1]["id"]

    def ended_keys(self) -> set[str]:
        """Addresses that must not be mailed (unsubscribed, bounced, ...)."""
        with self._transaction() as cursor:
            rows = cursor.all(
                "SELECT email_key FROM subscribers WHERE status IN (?, ?, ?, ?)",
                ENDED,
            )
        return {r["email_key"] for r in rows}

    def get(self, email: str) -> dict | None:
        with self._transaction() as cursor:
            return cursor.one(
                "SELECT * FROM subscribers WHERE email_key = ?", (address_key(email),)
            )

    def history(self, email: str) -> list[dict]:
        """The subscriber's events, oldest first ([] for an unknown address)."""
        with self._transaction() as cursor:
            return cursor.all(
                "SELECT e.at, e.kind, e.detail FROM events e JOIN subscribers s "
                "ON s.id = e.subscriber_id WHERE s.email_key = ? ORDER BY e.id",
                (address_key(email),),
            )

    def counts(self) -> dict[str, int]:
        with self._transaction() as cursor:
            rows = cursor.all(
                "SELECT status, COUNT(*) AS n FROM subscribers GROUP BY status"
            )
        return {r["status"]: r["n"] for r in rows}

    # -- changes ----------------------------------------------------------------

    def _row_for_update(self, cursor: _Cursor, key: str) -> dict | None:
        lock = " FOR UPDATE" if self.dialect == "postgresql" else ""
        return cursor.one(
            f"SELECT * FROM subscribers WHERE email_key = ?{lock}", (key,)
        )

    def _event(
        self, cursor: _Cursor, subscriber_id: int, kind: str, detail: str, at: str
    ) -> None:
        cursor.execute(
            "INSERT INTO events (subscriber_id, at, kind, detail) VALUES (?, ?, ?, ?)",
            (subscriber_id, at, kind, detail),
        )

    def _ensure(
        self, cursor: _Cursor, email: str, name: str, status: str, at: str
    ) -> tuple[dict, bool]:
        """The row for `email`, created with `status` when absent; (row, created)."""
        key = address_key(email)
        row = self._row_for_update(cursor, key)
        if row is not None:
            return row, False
        cursor.execute(
            "INSERT INTO subscribers (email, email_key, name, status, created_at, "
            "status_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email_key) DO NOTHING",
            (email.strip(), key, name, status, at, at),
        )
        row = self._row_for_update(cursor, key)
        return row, True

    def request_signup(
        self,
        email: str,
        *,
        name: str = "",
        source: str = "sign-up form",
        window: timedelta = timedelta(hours=24),
        limit: int = 3,
        when: datetime | None = None,
    ) -> SignupRequest:
        """A sign-up asked for: a fresh confirmation nonce, unless none is due.

        None is due for an address already subscribed, or one that asked
        `limit` times within `window` (per-address rate limit, shared by every
        instance of the service through the database).
        """
        at = now_text(when)
        since = now_text((when or datetime.now(UTC)) - window)
        with self._transaction() as cursor:
            row, _ = self._ensure(cursor, email, name, PENDING, at)
            recent = cursor.one(
                "SELECT COUNT(*) AS n FROM events WHERE subscriber_id = ? "
                "AND kind = 'signup requested' AND at >= ?",
                (row["id"], since),
            )["n"]
            if row["status"] == SUBSCRIBED or recent >= limit:
                self._event(cursor, row["id"], "signup ignored", source, at)
                return SignupRequest(row["status"], None, recent)
            nonce = secrets.token_urlsafe(12)
            cursor.execute(
                "UPDATE subscribers SET confirm_nonce = ? WHERE id = ?",
                (nonce, row["id"]),
            )
            self._event(cursor, row["id"], "signup requested", source, at)
            return SignupRequest(row["status"], nonce, recent + 1)

    def confirm(
        self, email: str, nonce: str, *, detail: str = "", when: datetime | None = None
    ) -> str:
        """Confirm a sign-up: "confirmed", "already" (a second click) or "stale".

        "stale": the link is not the latest one sent to the address, or the
        address was erased; nothing changes.
        """
        at = now_text(when)
        with self._transaction() as cursor:
            row = self._row_for_update(cursor, address_key(email))
            if row is None or row["status"] == ERASED:
                return "stale"
            if row["confirm_nonce"] != nonce:
                return "already" if row["status"] == SUBSCRIBED else "stale"
            cursor.execute(
                "UPDATE subscribers SET status = ?, status_at = ?, consent_at = ?, "
                "consent_method = ?, ended_at = NULL, end_reason = NULL, "
                "confirm_nonce = NULL, failures = 0 WHERE id = ?",
                (SUBSCRIBED, at, at, "double opt-in (confirmation link)", row["id"]),
            )
            self._event(cursor, row["id"], "confirmed", detail, at)
            return "confirmed"

    def set_status(
        self,
        email: str,
        status: str,
        reason: str,
        *,
        when: datetime | None = None,
        create: bool = True,
    ) -> bool:
        """End (or restore) a subscription; False when nothing changed.

        An address the database does not know (from a one-off CSV) is added
        with this status, so that the next send skips it too.
        """
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        at = now_text(when)
        with self._transaction() as cursor:
            key = address_key(email)
            if create:
                row, created = self._ensure(cursor, email, "", status, at)
            else:
                row, created = self._row_for_update(cursor, key), False
                if row is None:
                    return False
            if row["status"] == ERASED or (row["status"] == status and not created):
                return False
            ended = status in ENDED
            cursor.execute(
                "UPDATE subscribers SET status = ?, status_at = ?, ended_at = ?, "
                "end_reason = ?, confirm_nonce = NULL WHERE id = ?",
                (
                    status,
                    at,
                    at if ended else None,
                    reason if ended else None,
                    row["id"],
                ),
            )
            self._event(cursor, row["id"], status, reason, at)
            return True

    def unsubscribe(
        self, email: str, reason: str, when: datetime | None = None
    ) -> bool:
        return self.set_status(email, UNSUBSCRIBED, reason, when=when)

    def record_event(
        self, email: str, kind: str, detail: str = "", when: datetime | None = None
    ) -> bool:
        """An event on a known subscriber's history; False for an unknown one."""
        at = now_text(when)
        with self._transaction() as cursor:
            row = self._row_for_update(cursor, address_key(email))
            if row is None:
                return False
            self._event(cursor, row["id"], kind, detail, at)
            return True

    def record_failure(
        self,
        email: str,
        kind: str,
        reason: str,
        *,
        limit: int = 2,
        when: datetime | None = None,
    ) -> str | None:
        """A permanent delivery failure (a refusal at RCPT, a hard bounce).

        Counted on the subscriber with its time and reason; at `limit`
        failures a subscribed address becomes "bounced". Returns the status
        afterwards (None for an address the database does not know).
        """
        at = now_text(when)
        with self._transaction() as cursor:
            row = self._row_for_update(cursor, address_key(email))
            if row is None:
                return None
            failures = row["failures"] + 1
            status = row["status"]
            cursor.execute(
                "UPDATE subscribers SET failures = ?, last_failure_at = ?, "
                "last_failure = ? WHERE id = ?",
                (failures, at, reason, row["id"]),
            )
            self._event(cursor, row["id"], kind, reason, at)
            if failures >= limit and status in (SUBSCRIBED, PENDING):
                status = BOUNCED
                cursor.execute(
                    "UPDATE subscribers SET status = ?, status_at = ?, ended_at = ?, "
                    "end_reason = ? WHERE id = ?",
                    (
                        status,
                        at,
                        at,
                        f"{failures} delivery failures: {reason}",
                        row["id"],
                    ),
                )
                self._event(
                    cursor, row["id"], BOUNCED, f"after {failures} failures", at
                )
            return status

    def mark_failing(self, email: str, reason: str) -> str | None:
        """For delivery: a recipient given up on after its retries."""
        return self.record_failure(email, "failing", reason)

    def erase(self, email: str, *, when: datetime | None = None) -> bool:
        """Forget the address and name; the row and its history stay, anonymous.

        The key becomes a random one, so a new sign-up starts afresh.
        """
        at = now_text(when)
        with self._transaction() as cursor:
            row = self._row_for_update(cursor, address_key(email))
            if row is None or row["status"] == ERASED:
                return False
            cursor.execute(
                "UPDATE subscribers SET email = '', email_key = ?, name = '', "
                "status = ?, status_at = ?, ended_at = ?, end_reason = ?, "
                "confirm_nonce = NULL, last_failure = NULL WHERE id = ?",
                (
                    f"erased:{secrets.token_hex(16)}",
                    ERASED,
                    at,
                    at,
                    "erasure asked by the subscriber",
                    row["id"],
                ),
            )
            # Details could hold the address (a bounce's text): cleared too.
            cursor.execute(
                "UPDATE events SET detail = '' WHERE subscriber_id = ?", (row["id"],)
            )
            self._event(
                cursor, row["id"], ERASED, "by the subscriber's signed link", at
            )
            return True

    # -- import and export -----------------------------------------------------

    def import_rows(
        self,
        rows: list[tuple[str, str, str]],
        source: str,
        when: datetime | None = None,
    ) -> dict[str, int]:
        """(email, name, status) rows: new addresses added, known ones left alone.

        A known address is never changed by an import (an old file must not
        resubscribe someone who left), except that "unsubscribed" in the file
        ends a subscription.
        """
        at = now_text(when)
        added = kept = ended = 0
        with self._transaction() as cursor:
            for email, name, status in rows:
                row, created = self._ensure(cursor, email, name, status, at)
                if created:
                    added += 1
                    if status == SUBSCRIBED:
                        cursor.execute(
                            "UPDATE subscribers SET consent_at = ?, "
                            "consent_method = ? WHERE id = ?",
                            (at, f"imported from {source}", row["id"]),
                        )
                    self._event(cursor, row["id"], f"imported as {status}", source, at)
                elif status == UNSUBSCRIBED and row["status"] not in ENDED:
                    ended += 1
                    cursor.execute(
                        "UPDATE subscribers SET status = ?, status_at = ?, "
                        "ended_at = ?, end_reason = ? WHERE id = ?",
                        (UNSUBSCRIBED, at, at, f"unsubscribed in {source}", row["id"]),
                    )
                    self._event(cursor, row["id"], UNSUBSCRIBED, source, at)
                else:
                    kept += 1
        return {"added": added, "unchanged": kept, "ended": ended}

    EXPORT_COLUMNS = (
        "email",
        "name",
        "status",
        "created_at",
        "status_at",
        "consent_at",
        "consent_method",
        "ended_at",
        "end_reason",
        "failures",
        "last_failure_at",
        "last_failure",
    )

    def export_rows(self) -> list[dict]:
        columns = ", ".join(self.EXPORT_COLUMNS)
        with self._transaction() as cursor:
            return cursor.all(
                f"SELECT {columns} FROM subscribers WHERE status <> ? ORDER BY id",
                (ERASED,),
            )

    # -- inbound mail (bounces, complaints, unsubscribe mails) -----------------

    def record_inbound(self, message_key: str, outcome: str) -> bool:
        """Remember a processed message; False if it was processed before."""
        with self._transaction() as cursor:
            row = cursor.one(
                "SELECT outcome FROM inbound_mail WHERE message_key = ?",
                (message_key,),
            )
            if row is not None:
                return False
            cursor.execute(
                "INSERT INTO inbound_mail (message_key, at, outcome) VALUES (?, ?, ?)",
                (message_key, now_text(), outcome),
            )
            return True

    def inbound_seen(self, message_key: str) -> bool:
        with self._transaction() as cursor:
            return (
                cursor.one(
                    "SELECT 1 AS seen FROM inbound_mail WHERE message_key = ?",
                    (message_key,),
                )
                is not None
            )


class _Cursor:
    """SQL written with ? placeholders, run on either database."""

    def __init__(self, connection, dialect: str):
        self.connection = connection
        self.postgresql = dialect == "postgresql"

    def execute(self, sql: str, params: tuple = ()):
        if self.postgresql:
            sql = sql.replace("?", "%s")
        return self.connection.execute(sql, params)

    def one(self, sql: str, params: tuple = ()) -> dict | None:
        row = self.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def all(self, sql: str, params: tuple = ()) -> list[dict]:
        return [dict(r) for r in self.execute(sql, params).fetchall()]
