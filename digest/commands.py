"""The subscription commands: serve, subscribers import|export, bounces."""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from pathlib import Path

from digest.config import DigestSettings
from digest.delivery import parse_host_port
from digest.store import Store
from digest.subscribers import read_csv_rows

logger = logging.getLogger("digest")

SUBSCRIPTION_COMMANDS = ("serve", "subscribers", "bounces")
DATABASE_HELP = "path or postgresql:// URL (default: DIGEST['database'])"


def add_subscription_commands(commands) -> None:
    serve = commands.add_parser("serve", help="run the subscription service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--database", help=DATABASE_HELP)
    delivery = serve.add_mutually_exclusive_group()
    delivery.add_argument("--smtp", help="HOST:PORT for the confirmation emails")
    delivery.add_argument("--outbox", type=Path, help="Maildir (DIGEST['outbox'])")
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies whose X-Forwarded-For names the client (default: 127.0.0.1)",
    )

    subscribers = commands.add_parser("subscribers", help="import or export the list")
    actions = subscribers.add_subparsers(dest="action", required=True)
    for action, text in (("import", "add a CSV's rows"), ("export", "write a CSV")):
        parser = actions.add_parser(action, help=text)
        parser.add_argument("file", type=Path, help="CSV file ('-' for stdout)")
        parser.add_argument("--database", help=DATABASE_HELP)

    bounces = commands.add_parser(
        "bounces", help="read bounces, complaints and unsubscribe mails"
    )
    source = bounces.add_mutually_exclusive_group(required=True)
    source.add_argument("--maildir", type=Path)
    source.add_argument("--mbox", type=Path)
    bounces.add_argument("--database", help=DATABASE_HELP)


def run_subscription_command(settings: DigestSettings, args: argparse.Namespace) -> int:
    database = args.database or settings.database
    if args.command == "serve":
        from digest.service.server import serve

        return serve(
            settings,
            host=args.host,
            port=args.port,
            database=database,
            smtp=parse_host_port(args.smtp) if args.smtp else None,
            outbox=args.outbox,
            forwarded_allow_ips=args.forwarded_allow_ips,
        )
    if args.command == "bounces":
        from digest.bounces import process_mailbox

        store = Store(database, create=False)
        try:
            counts = process_mailbox(
                store, settings, maildir=args.maildir, mbox=args.mbox
            )
        finally:
            store.close()
        logger.info(
            "%s",
            ", ".join(f"{n} {what}" for what, n in counts.items()) or "no messages",
        )
        return 0
    if args.action == "import":
        return _import(Store(database), args.file)
    return _export(Store(database, create=False), args.file)


def _import(store: Store, path: Path) -> int:
    rows, problems = read_csv_rows(path)
    for problem in problems:
        logger.warning("%s", problem)
    try:
        counts = store.import_rows(rows, source=path.name)
    finally:
        store.close()
    logger.info(
        "%s: %d added, %d ended (unsubscribed in the file), %d already known "
        "and left as they were, %d skipped",
        path,
        counts["added"],
        counts["ended"],
        counts["unchanged"],
        len(problems),
    )
    return 1 if problems else 0


def _export(store: Store, path: Path) -> int:
    try:
        rows = store.export_rows()
    finally:
        store.close()
    handle = (
        sys.stdout if str(path) == "-" else path.open("w", newline="", encoding="utf-8")
    )
    try:
        writer = csv.DictWriter(handle, fieldnames=Store.EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    finally:
        if handle is not sys.stdout:
            handle.close()
    if handle is not sys.stdout:
        logger.info("%s: %d subscriber(s) written", path, len(rows))
    return 0
