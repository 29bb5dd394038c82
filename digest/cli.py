"""python -m digest send | preview | doctor | serve | subscribers | bounces.

See docs/digest.md, "Email digest" and "Subscriptions".
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

from digest import config, doctor, privacy
from digest.commands import (
    SUBSCRIPTION_COMMANDS,
    add_subscription_commands,
    run_subscription_command,
)
from digest.delivery import parse_host_port
from digest.errors import DigestError
from digest.run import SendOptions, preview, send, utc_now

logger = logging.getLogger("digest")


def _date(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r}: expected a date like 2026-11-01"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# Measured against a local Postfix (bench/digest_send.py, docs/digest.md "Speed").
DEFAULT_CONNECTIONS = 4


def _rate(value: str) -> float:
    number = value.removesuffix("/s")
    try:
        rate = float(number)
    except ValueError:
        rate = 0.0
    if rate <= 0:
        raise argparse.ArgumentTypeError(
            f"{value!r}: expected messages a second, e.g. 14/s"
        )
    return rate


def _connections(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"{value!r}: expected a number from 1 to 64")
    return int(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m digest", description=__doc__)
    parser.add_argument(
        "--settings",
        type=Path,
        default=config.PROJECT / "pelicanconf.py",
        help="the Pelican settings file holding DIGEST (default: pelicanconf.py)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    send_parser = commands.add_parser("send", help="send the digest of new entries")
    send_parser.add_argument("--feed", help="feed path or URL (DIGEST['feed'])")
    send_parser.add_argument(
        "--subscribers",
        type=Path,
        help="a one-off list: CSV email,name,status (default: the database)",
    )
    send_parser.add_argument("--database", help="DIGEST['database'] (path or URL)")
    send_parser.add_argument("--state", type=Path, help="state file (DIGEST['state'])")
    send_parser.add_argument(
        "--since",
        type=_date,
        help="only entries published on or after this date "
        "(default with no state file: the last DIGEST['period_days'] days)",
    )
    send_parser.add_argument("--smtp", help="HOST:PORT; default: the Maildir outbox")
    send_parser.add_argument("--outbox", type=Path, help="Maildir (DIGEST['outbox'])")
    send_parser.add_argument(
        "--connections",
        type=_connections,
        default=DEFAULT_CONNECTIONS,
        help=f"SMTP connections in parallel (default {DEFAULT_CONNECTIONS})",
    )
    send_parser.add_argument(
        "--rate",
        type=_rate,
        help="at most N messages a second over all connections, e.g. 14/s",
    )
    send_parser.add_argument(
        "--dry-run",
        action="store_true",
        help="render and report; send and write nothing",
    )

    preview_parser = commands.add_parser("preview", help="write the email to a file")
    preview_parser.add_argument("--feed", help="feed path or URL (DIGEST['feed'])")
    preview_parser.add_argument("--since", type=_date)
    preview_parser.add_argument(
        "--output", type=Path, default=Path("digest-preview.html"), help="HTML file"
    )
    commands.add_parser(
        "doctor",
        help="check what a real list needs (DKIM, tokens, bounces, public URLs); "
        "print the DNS records to publish",
    )
    add_subscription_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(format="digest: %(message)s", level=logging.INFO)
    privacy.install()
    args = _parser().parse_args(argv)
    try:
        settings = config.load(args.settings)
        if args.command in SUBSCRIPTION_COMMANDS:
            return run_subscription_command(settings, args)
        if args.command == "doctor":
            return doctor.run(settings)
        now = utc_now()
        if args.command == "preview":
            html, text, rendered = preview(
                settings, args.feed or settings.feed, args.output, args.since, now
            )
            logger.info("wrote %s and %s: %s", html, text, rendered.subject)
            return 0
        outbox = args.outbox or settings.outbox
        state = args.state or settings.state
        if not args.smtp and not args.state:
            # A local outbox reaches nobody: its run keeps its own record, so
            # the real run with --smtp still sends these essays.
            state = outbox / "digest-state.json"
        options = SendOptions(
            feed=args.feed or settings.feed,
            subscribers=args.subscribers,
            database=args.database,
            state=state,
            since=args.since,
            smtp=parse_host_port(args.smtp) if args.smtp else None,
            outbox=outbox,
            dry_run=args.dry_run,
            now=now,
            connections=args.connections,
            rate=args.rate,
        )
        report = send(settings, options)
    except DigestError as error:
        logger.error("%s", error)
        return error.exit_code
    if report.entries and not options.dry_run:
        if options.smtp:
            host, port = options.smtp
            logger.info(
                "sent %r through %s:%d: %d delivered, %d refused for good, "
                "%d already served earlier",
                report.subject,
                host,
                port,
                report.delivered,
                report.rejected,
                report.already_served,
            )
        else:
            logger.info(
                "wrote %d messages into the local outbox %s (open it with "
                "mutt -f %s): nothing was emailed. Recorded in %s only, so a "
                'real run (make digest DIGESTOPTS="--smtp HOST:PORT") still '
                "sends these essays",
                report.delivered,
                options.outbox / "new",
                options.outbox,
                options.state,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
