"""Send the digest through a local Postfix, 1 connection and N, then aiosmtpd at 1k-10k.

Run: .venv/bin/python bench/digest_send.py [--postfix-size 2000]
     [--connections 1,2,4,8] [--dkim no|yes|both] [--sizes 1000,5000,10000]
     [--only-postfix]

First a private Postfix instance (tests/postfix_server.py: Debian's postfix,
loopback only, every message discarded after it was queued, never relayed)
takes the same list over 1 connection and over each N, in one run, so the
ratios compare like with like; each without and with a DKIM signature
(an RSA-2048 key made for the run).

Then aiosmtpd at 1k, 5k and 10k subscribers, read from a SQLite database as
`send` reads it (a page at a time), over the default number of connections:
the SMTP server (aiosmtpd,
counting and discarding) runs in a process of its own, so it does not
share the sender's interpreter lock. Every list size is sent by a fresh
process, so its peak memory (ru_maxrss) is its own; a second fresh process
measures the peak of Python allocations (tracemalloc), which slows it down
and is therefore not timed. The state journal is fsynced after every
recipient, as in production. The site is built as `make publish` builds it
(the digest refuses a development feed).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from digest import config  # noqa: E402
from digest.cli import DEFAULT_CONNECTIONS  # noqa: E402
from digest.feed import read_feed  # noqa: E402
from digest.mime import MessageTemplate  # noqa: E402
from digest.render import render_digest  # noqa: E402
from digest.run import SendOptions, send  # noqa: E402
from digest.store import Store  # noqa: E402
from digest.subscribers import Subscriber  # noqa: E402
from tests.postfix_server import postfix  # noqa: E402
from tests.sitebuild import build  # noqa: E402

SETTINGS = {
    "from": "Understanding Customer Service <digest@essays.example.org>",
    "list_id": "Understanding Customer Service <digest.essays.example.org>",
    "unsubscribe_url": "https://essays.example.org/unsubscribe?email={email}",
    "unsubscribe_mailto": "unsubscribe@essays.example.org",
}
SINCE = datetime(2026, 10, 15, tzinfo=UTC)  # the newest essay: a monthly digest
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _smtp_server(port: int, ready, received) -> None:
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with received.get_lock():
                received.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dkim_key(folder: Path) -> Path:
    """A fresh RSA-2048 key, as DIGEST['dkim']['key_file'] names one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = folder / "dkim.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def postfix_rates(
    feed: str, size: int, counts: list[int], signing: list[bool]
) -> dict[tuple[int, bool], float]:
    """Messages a second into one Postfix, over each number of connections.

    With and without DKIM, in turns, so both see the same machine; the
    sender's own CPU per message says how much of the time is ours.
    """
    work = Path(tempfile.mkdtemp(prefix="digest-bench-postfix-"))
    subscribers = work / "subscribers.csv"
    with subscribers.open("w") as handle:
        handle.write("email,name,status\n")
        for n in range(size):
            handle.write(f"reader{n}@example.org,Reader {n},subscribed\n")
    dkim = {"selector": "bench", "key_file": str(dkim_key(work))}
    rates = {}
    with postfix(deliver="discard") as server:
        for connections in counts:
            for signed in signing:
                settings = config.validate(
                    {**SETTINGS, **({"dkim": dkim} if signed else {})}, "bench"
                )
                options = SendOptions(
                    feed=feed,
                    subscribers=subscribers,
                    state=work / f"state-{connections}-{signed}.json",
                    since=SINCE,
                    smtp=server.address,
                    outbox=work / "outbox",
                    dry_run=False,
                    now=NOW,
                    connections=connections,
                )
                cpu = _cpu_seconds()
                started = time.perf_counter()
                report = send(settings, options)
                seconds = time.perf_counter() - started
                cpu = _cpu_seconds() - cpu
                assert report.delivered == size, report
                rates[connections, signed] = size / seconds
                print(
                    f"{connections:>11} {'yes' if signed else 'no':>5} "
                    f"{size / seconds:>8.0f} {seconds:>8.2f} "
                    f"{cpu / size * 1000:>12.2f} {os.getloadavg()[0]:>5.1f}"
                )
    return rates


def subscriber_database(size: int) -> Path:
    """A SQLite list of `size` subscribers, made by this (parent) process."""
    database = Path(tempfile.mkdtemp(prefix=f"digest-bench-{size}-")) / "list.db"
    store = Store(str(database))
    store.import_rows(
        [(f"reader{n}@example.org", f"Reader {n}", "subscribed") for n in range(size)],
        source="bench",
    )
    store.close()
    return database


def one_run(feed: str, database: str, port: int, trace: bool) -> dict:
    """In a fresh process: send to the database's list; figures as a dict.

    The list is read from the database a page at a time, as `send` does
    without --subscribers, so memory says what a real run holds.
    """
    work = Path(tempfile.mkdtemp(prefix="digest-bench-run-"))
    options = SendOptions(
        feed=feed,
        subscribers=None,
        database=database,
        state=work / "state.json",
        since=SINCE,
        smtp=("127.0.0.1", port),
        outbox=work / "outbox",
        dry_run=False,
        now=NOW,
        connections=DEFAULT_CONNECTIONS,
    )
    settings = config.validate(SETTINGS, "bench")
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    report = send(settings, options)
    seconds = time.perf_counter() - started
    figures = {
        "delivered": report.delivered,
        "seconds": seconds,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if trace:
        figures["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return figures


def _child(feed: str, database: Path, port: int, trace: bool) -> dict:
    command = [sys.executable, __file__, "--child", feed, str(database), str(port)]
    if trace:
        command.append("--trace")
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def message_build_ratio(feed_path: str, count: int = 1000) -> tuple[float, float]:
    """ms per message: the template (as sent) vs a full EmailMessage each."""
    settings = config.validate(SETTINGS, "bench")
    feed = read_feed(feed_path)
    entries = [e for e in feed.entries if e.published >= SINCE]
    rendered = render_digest(
        feed,
        entries,
        templates=settings.templates,
        title=None,
        max_html_bytes=settings.max_html_bytes,
    )
    template = MessageTemplate(settings, rendered, NOW, digest_id="bench")
    people = [Subscriber(f"r{n}@example.org", f"R {n}") for n in range(count)]
    started = time.perf_counter()
    for person in people:
        template.message_for(person)
    fast = (time.perf_counter() - started) / count * 1000
    started = time.perf_counter()
    for person in people:
        text, html = template.bodies(person)
        message = EmailMessage(policy=policy.SMTP)
        message["To"] = person.email
        message["Subject"] = rendered.subject
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        message.as_bytes()
    slow = (time.perf_counter() - started) / count * 1000
    return fast, slow


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--postfix-size", type=int, default=2000)
    parser.add_argument("--connections", default="1,2,4,8")
    parser.add_argument("--only-postfix", action="store_true")
    parser.add_argument(
        "--dkim", choices=("no", "yes", "both"), default="both", help="sign?"
    )
    args = parser.parse_args()
    if args.child:
        feed, database, port = args.child
        print(json.dumps(one_run(feed, database, int(port), args.trace)))
        return

    site = build(
        Path(tempfile.mkdtemp(prefix="digest-bench-site-")) / "output",
        settings="publishconf.py",
        env={"SITEURL": "https://essays.example.org"},
    )
    feed = str(site / "feeds/all.atom.xml")
    counts = [int(c) for c in args.connections.split(",")]
    signing = {"no": [False], "yes": [True], "both": [False, True]}[args.dkim]
    print(f"Postfix, {args.postfix_size} subscribers, {os.cpu_count()} CPUs")
    print(
        f"{'connections':>11} {'DKIM':>5} {'msgs/s':>8} {'seconds':>8} "
        f"{'our CPU ms/msg':>12} {'load':>5}"
    )
    rates = postfix_rates(feed, args.postfix_size, counts, signing)
    for signed in signing:
        best = max(counts, key=lambda c: rates[c, signed])
        print(
            f"{'with' if signed else 'without'} DKIM: best {best} connections, "
            f"{rates[best, signed]:.0f} msgs/s, "
            f"{rates[best, signed] / rates[counts[0], signed]:.2f}x {counts[0]} "
            "connection (goals: >= 3x and >= 500 msgs/s)"
        )
    print()
    if args.only_postfix:
        return
    port = _free_port()
    ready, received = multiprocessing.Event(), multiprocessing.Value("q", 0)
    server = multiprocessing.Process(
        target=_smtp_server, args=(port, ready, received), daemon=True
    )
    server.start()
    ready.wait(10)
    try:
        print(
            f"{'subscribers':>11} {'msgs/s':>8} {'seconds':>8} "
            f"{'peak RSS MB':>12} {'traced peak MB':>15}"
        )
        rows = []
        for size in (int(s) for s in args.sizes.split(",")):
            database = subscriber_database(size)
            before = received.value
            timed = _child(feed, database, port, trace=False)
            arrived = received.value - before
            assert timed["delivered"] == size == arrived, (timed, arrived)
            traced = _child(feed, database, port, trace=True)
            rate = size / timed["seconds"]
            rows.append((size, rate, timed["maxrss_mb"], traced["traced_peak_mb"]))
            print(
                f"{size:>11} {rate:>8.0f} {timed['seconds']:>8.2f} "
                f"{timed['maxrss_mb']:>12.1f} {traced['traced_peak_mb']:>15.2f}"
            )
        first, last = rows[0], rows[-1]
        print(
            f"\n{last[0] // first[0]}x the subscribers: "
            f"peak RSS x{last[2] / first[2]:.2f}, "
            f"traced Python peak x{last[3] / first[3]:.2f}, "
            f"rate x{last[1] / first[1]:.2f} (goal: >= 500 msgs/s)"
        )
    finally:
        server.terminate()
        server.join()
    fast, slow = message_build_ratio(feed)
    per_subscriber = (last[3] - first[3]) * 2**20 / (last[0] - first[0])
    print(
        f"Python memory per extra subscriber (goal: flat, ~0): "
        f"{per_subscriber:.0f} bytes"
    )
    print(
        f"building one message: {fast:.3f} ms from the template, {slow:.3f} ms "
        f"with a full EmailMessage each ({slow / fast:.1f}x)"
    )


if __name__ == "__main__":
    main()
