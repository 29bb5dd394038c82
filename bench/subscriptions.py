"""Sign-ups and one-click unsubscribes per second against the running service.

Run: .venv/bin/python bench/subscriptions.py [--requests 2000] [--clients 8]

Starts `python -m digest serve` (one uvicorn process, as the README runs it)
on 127.0.0.1 with SQLite, then with PostgreSQL (a throwaway cluster from
tests/postgres.py), the confirmation emails going to a Maildir outbox. Each
database gets the same work from `--clients` threads on keep-alive
connections: N sign-ups (POST /subscribe, each a new address: a row, an
event, a signed link and an email), then N one-click unsubscribes (POST with
List-Unsubscribe=One-Click) of N imported subscribers. Prints requests per
second and the ratio between the two databases, measured in one run.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from digest.store import Store  # noqa: E402
from digest.tokens import Signer  # noqa: E402
from tests.postgres import create_database, postgres_cluster  # noqa: E402
from tests.subscriptions_support import (  # noqa: E402
    SECRET,
    running_service,
    service_digest,
)

WARM_UP = 50  # sign-ups before the timed ones


def hammer(base: str, requests: list[tuple[str, bytes]], clients: int) -> float:
    """POST every (path, body) from `clients` threads; requests per second."""
    parts = urlsplit(base)
    failures: list[str] = []
    chunks = [requests[i::clients] for i in range(clients)]

    def worker(chunk):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        for path, body in chunk:
            connection.request(
                "POST",
                path,
                body,
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
        connection.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return len(requests) / elapsed


def measure(database: str, folder: Path, count: int, clients: int) -> dict[str, float]:
    digest = service_digest(signups_per_client=10 * count, signups_per_address=10)
    leaving = [f"leaving{n}@example.org" for n in range(count)]
    store = Store(database)
    store.import_rows([(a, "", "subscribed") for a in leaving], source="bench")
    store.close()
    signer = Signer(SECRET.encode(), digest["list_id"])
    with running_service(folder, digest, database=database) as service:
        signups = [
            ("/subscribe", f"email=new{n}%40example.org&website=".encode())
            for n in range(count)
        ]
        unsubscribes = [
            (
                f"/unsubscribe/{signer.unsubscribe_token(a)}",
                b"List-Unsubscribe=One-Click",
            )
            for a in leaving
        ]
        # Warm up (imports, caches) on addresses of their own: every one of
        # the `count` sign-ups is timed, however small `count` is.
        warm_up = [
            ("/subscribe", f"email=warm{n}%40example.org&website=".encode())
            for n in range(WARM_UP)
        ]
        hammer(service.url, warm_up, clients)
        rates = {
            "sign-ups/s": hammer(service.url, signups, clients),
            "one-click unsubscribes/s": hammer(service.url, unsubscribes, clients),
        }
    store = Store(database)
    counts = store.counts()
    store.close()
    assert counts.get("unsubscribed") == count, counts
    assert counts.get("pending") == count + WARM_UP, counts
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-subscriptions-") as temp:
        folder = Path(temp)
        (folder / "sqlite").mkdir()
        results["SQLite"] = measure(
            str(folder / "sqlite" / "s.db"),
            folder / "sqlite",
            args.requests,
            args.clients,
        )
        with postgres_cluster() as base:
            (folder / "pg").mkdir()
            results["PostgreSQL"] = measure(
                create_database(base, "bench"),
                folder / "pg",
                args.requests,
                args.clients,
            )
    print(
        f"{args.requests} requests of each kind, {args.clients} clients, one instance"
    )
    for kind in ("sign-ups/s", "one-click unsubscribes/s"):
        sqlite, postgres = results["SQLite"][kind], results["PostgreSQL"][kind]
        print(
            f"{kind:26} SQLite {sqlite:7.0f}   PostgreSQL {postgres:7.0f}   "
            f"PostgreSQL/SQLite {postgres / sqlite:.2f}x"
        )


if __name__ == "__main__":
    main()
