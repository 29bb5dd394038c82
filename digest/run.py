"""`send` and `preview`: pick the entries, render once, deliver to each."""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.config import DigestSettings
from digest.delivery import MaildirOutbox, SmtpSender, Transport
from digest.dkim_signing import DkimSigner
from digest.errors import DeliveryFailed, DigestError
from digest.feed import Entry, Feed, read_feed, refuse_unpublished
from digest.mime import MessageTemplate
from digest.render import RenderedDigest, render_digest
from digest.roster import open_roster
from digest.sending import Counts, deferred_message, deliver_all
from digest.state import Journal, load_state, locked, new_pending, save_state
from digest.store import Store
from digest.subscribers import Subscriber, SubscriberList

logger = logging.getLogger("digest")


@dataclass
class SendOptions:
    feed: str
    subscribers: Path | None  # a one-off CSV list; None: the database
    state: Path
    since: datetime | None  # None: the last period, when there is no state
    smtp: tuple[str, int] | None
    outbox: Path
    dry_run: bool
    now: datetime
    database: str | None = None  # None: DIGEST["database"]
    connections: int = 1  # SMTP connections in parallel
    rate: float | None = None  # messages a second at most, over all of them


@dataclass
class SendReport(Counts):
    entries: int = 0
    deferred: int = 0
    subject: str = ""


def default_since(settings: DigestSettings, now: datetime) -> datetime:
    return now - timedelta(days=settings.period_days)


def _render(
    settings: DigestSettings, feed: Feed, entries: list[Entry]
) -> RenderedDigest:
    rendered = render_digest(
        feed,
        entries,
        templates=settings.templates,
        title=settings.title,
        max_html_bytes=settings.max_html_bytes,
    )
    if rendered.mode != "full":
        logger.warning(
            "the full digest is over %d bytes (Gmail clips it): "
            "sending summaries and links instead",
            settings.max_html_bytes,
        )
    return rendered


def _transport(settings: DigestSettings, options: SendOptions) -> Transport:
    if options.smtp:
        host, port = options.smtp
        return SmtpSender(
            host,
            port,
            retries=settings.smtp_retries,
            retry_delay=settings.smtp_retry_delay,
        )
    return MaildirOutbox(options.outbox)


def _failure_recorder(store: Store, settings: DigestSettings):
    """Record a lasting failure on the subscriber (a refusal, or given up)."""

    def record(subscriber: Subscriber, kind: str, reason: str) -> None:
        store.record_failure(
            subscriber.email, kind, reason, limit=settings.bounce_limit
        )

    return record


def send(settings: DigestSettings, options: SendOptions) -> SendReport:
    """Send the digest of the new entries; raise DeliveryFailed midway."""
    if settings.service_url:
        settings.require_secret()  # every message carries a signed link
    roster, store = open_roster(
        options.subscribers, options.database or settings.database
    )
    try:
        return _send(settings, options, roster, store)
    finally:
        if store is not None:
            store.close()


def _send(
    settings: DigestSettings,
    options: SendOptions,
    roster: SubscriberList,
    store: Store | None,
) -> SendReport:
    for problem in roster.problems:
        logger.warning("%s", problem)
    feed = read_feed(options.feed)
    refuse_unpublished(feed, options.feed)  # a dev build's links: never sent
    report = SendReport()
    with locked(options.state):
        state = load_state(options.state)
        if state.pending:
            wanted = set(state.pending.entry_ids)
            entries = [e for e in feed.entries if e.id in wanted]
            missing = wanted - {e.id for e in entries}
            if missing:
                logger.warning(
                    "finishing the unfinished digest without %d entr(ies) no "
                    "longer in the feed: %s",
                    len(missing),
                    ", ".join(sorted(missing)),
                )
            if not entries:
                raise DigestError(
                    f"{options.state}: the unfinished digest's entries are no longer "
                    f"in {options.feed}"
                )
            logger.info("resuming the unfinished digest of %s", state.pending.started)
        else:
            done = state.done()
            entries = [e for e in feed.entries if e.id not in done]
            if options.since is not None or not state.exists:
                since = options.since or default_since(settings, options.now)
                too_old = [e for e in entries if e.published < since]
                entries = [e for e in entries if e.published >= since]
                if not options.dry_run and (too_old or not state.exists):
                    # Recorded, so a later run never sends them either.
                    state.skipped += [e.id for e in too_old]
                    save_state(options.state, state)
            if not entries:
                logger.info("nothing new in %s: nothing sent", options.feed)
                return report
        report.entries = len(entries)
        rendered = _render(settings, feed, entries)
        report.subject = rendered.subject
        # The key is read before anything is recorded: a bad key file stops
        # the run (and a dry run) with one line, with nothing yet sent.
        signer = DkimSigner(settings.dkim) if settings.dkim else None
        if options.dry_run:
            served = Journal(options.state).served(
                state.pending.digest_id if state.pending else ""
            )
            waiting = sum(1 for s in roster.subscribers if s.key not in served)
            logger.info(
                "dry run: would send %r (%d entries) to %d subscriber(s)",
                rendered.subject,
                len(entries),
                waiting,
            )
            return report
        if state.pending is None:
            state.pending = new_pending(
                [e.id for e in entries], options.now.isoformat(timespec="seconds")
            )
            save_state(options.state, state)
        # The date the digest started: a message sent again on a rerun is
        # the same message, Message-ID and all (digest.mime).
        template = MessageTemplate(
            settings,
            rendered,
            datetime.fromisoformat(state.pending.started),
            digest_id=state.pending.digest_id,
            signer=signer,
        )
        journal = Journal(options.state)
        try:
            tally = deliver_all(
                template,
                roster.subscribers,
                journal,
                state.pending.digest_id,
                # The envelope sender: where bounces go (docs/digest.md, "Settings").
                settings.bounce_address or settings.sender.addr_spec,
                lambda: _transport(settings, options),
                connections=options.connections if options.smtp else 1,
                rate=options.rate,
                on_failure=(
                    _failure_recorder(store, settings)
                    if store is not None and not options.dry_run
                    else None
                ),
            )
        finally:
            journal.close()
        for name in (f.name for f in fields(Counts)):
            setattr(report, name, getattr(tally, name))
        report.deferred = len(tally.deferred)
        if tally.deferred:
            # The digest stays in progress: the next run tries them again.
            raise DeliveryFailed(f"sent {report.delivered}, {deferred_message(tally)}")
        state.sent += state.pending.entry_ids
        state.pending = None
        save_state(options.state, state)
        journal.remove()
    if tally.gave_up:
        raise DeliveryFailed(f"sent {report.delivered}, {deferred_message(tally)}")
    return report


def preview(
    settings: DigestSettings,
    feed_source: str,
    output: Path,
    since: datetime | None,
    now: datetime,
) -> tuple[Path, Path, RenderedDigest]:
    """Write the email as the first subscriber would see it: FILE.html, FILE.txt."""
    feed = read_feed(feed_source)
    if not feed.entries:
        raise DigestError(f"{feed_source}: the feed has no entries")
    cutoff = since or default_since(settings, now)
    entries = [e for e in feed.entries if e.published >= cutoff] or feed.entries[-1:]
    rendered = _render(settings, feed, entries)
    template = MessageTemplate(settings, rendered, now, digest_id="preview")
    text, html = template.bodies(Subscriber("reader@example.org", "A. Reader"))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    text_path = output.with_suffix(".txt")
    text_path.write_text(text, encoding="utf-8")
    return output, text_path, rendered


def utc_now() -> datetime:
    return datetime.now(UTC)
