"""The sending loop: N connections in parallel, a rate cap, stuck recipients deferred.

One thread per connection, each with its own transport, takes subscribers
from a short queue: memory stays flat in the list's size (no message is kept
once sent). Each recipient gets an "attempt" line in the journal before its
message is sent and its outcome after, so a crash leaves at most one uncertain
delivery per connection, counted by the next run.

A recipient whose message keeps failing is deferred: the others go on, the
run then exits non-zero naming it, and the next run tries it again; after
DEFERRAL_RUNS runs it is given up for this digest ("failed" in the journal).
When DEFERRALS_IN_A_ROW recipients fail one after another with nobody served
between them, the server is the problem, not the recipients: the run stops.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from digest.delivery import DEFERRED, DELIVERED, Transport
from digest.errors import DeliveryFailed
from digest.mime import MessageTemplate
from digest.state import ATTEMPT, GAVE_UP, Journal
from digest.subscribers import Subscriber

logger = logging.getLogger("digest")

DEFERRAL_RUNS = 3
DEFERRALS_IN_A_ROW = 10
_DONE = None  # the queue's end marker, one per worker


class RateLimit:
    """At most `per_second` messages a second over all connections."""

    def __init__(self, per_second: float | None):
        self.interval = 1.0 / per_second if per_second else 0.0
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


@dataclass
class Counts:
    """What a run did, recipient by recipient (digest.run's report too)."""

    delivered: int = 0
    rejected: int = 0
    already_served: int = 0
    uncertain: int = 0


@dataclass
class Tally(Counts):
    deferred: dict[str, str] = field(default_factory=dict)  # email: why
    gave_up: dict[str, str] = field(default_factory=dict)  # email: why
    in_a_row: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def deliver_all(
    template: MessageTemplate,
    subscribers: Iterable[Subscriber],
    journal: Journal,
    digest_id: str,
    sender: str,
    make_transport: Callable[[], Transport],
    *,
    connections: int = 1,
    rate: float | None = None,
    on_failure: Callable[[Subscriber, str, str], None] | None = None,
) -> Tally:
    """Send to everyone not yet served; raise DeliveryFailed when it must stop."""
    view = journal.read(digest_id)
    tally = Tally(uncertain=len(view.uncertain))
    if view.uncertain:
        logger.warning(
            "%d deliver%s uncertain: the last run stopped while sending to them; "
            "they get the message again, with the same Message-ID (their mail "
            "client shows one)",
            len(view.uncertain),
            "y is" if len(view.uncertain) == 1 else "ies are",
        )
    limit = RateLimit(rate)
    work: queue.Queue = queue.Queue(maxsize=connections * 4)
    stop = threading.Event()
    errors: list[BaseException] = []

    def outcome_of(subscriber: Subscriber, transport: Transport) -> None:
        limit.wait()
        journal.record(digest_id, ATTEMPT, subscriber.key)
        outcome = transport.deliver(
            sender, subscriber.email, template.message_for(subscriber)
        )
        # The window for a duplicate: the server has accepted the message
        # and this line is not yet written (docs/digest.md, "Email digest").
        if outcome == DEFERRED:
            times = view.deferrals.get(subscriber.key, 0) + 1
            if times >= DEFERRAL_RUNS:
                outcome = GAVE_UP
        journal.record(digest_id, outcome, subscriber.key)
        # Before the tally's lock (the store may wait for its database), and so
        # before a stop the tally may raise.
        if on_failure is not None and outcome == GAVE_UP:
            on_failure(subscriber, "failing after retries", transport.last_error)
        elif on_failure is not None and outcome not in (DELIVERED, DEFERRED):
            refusal = getattr(transport, "last_refusal", "") or "refused for good"
            on_failure(subscriber, "refused at RCPT", refusal)
        with tally.lock:
            if outcome == DELIVERED:
                tally.delivered += 1
                tally.in_a_row = 0
            elif outcome == DEFERRED:
                tally.deferred[subscriber.email] = transport.last_error
                tally.in_a_row += 1
            elif outcome == GAVE_UP:
                tally.gave_up[subscriber.email] = transport.last_error
                tally.in_a_row += 1
            else:
                tally.rejected += 1
            if tally.in_a_row >= DEFERRALS_IN_A_ROW:
                raise DeliveryFailed(
                    f"{tally.in_a_row} recipients in a row could not be served "
                    f"(last: {subscriber.email}: {transport.last_error}): "
                    "stopping; the server seems to refuse everything"
                )

    def worker() -> None:
        transport = None
        try:
            transport = make_transport()
            while not stop.is_set():
                try:
                    subscriber = work.get(timeout=0.2)
                except queue.Empty:
                    continue
                if subscriber is _DONE:
                    return
                outcome_of(subscriber, transport)
        except BaseException as error:  # handed to the main thread
            errors.append(error)
            stop.set()
        finally:
            if transport is not None:
                transport.close()

    threads = [threading.Thread(target=worker) for _ in range(max(1, connections))]
    for thread in threads:
        thread.start()
    try:
        for subscriber in subscribers:
            if subscriber.key in view.served:
                tally.already_served += 1
                continue
            while not stop.is_set():
                try:
                    work.put(subscriber, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                break
    finally:
        for _ in threads:
            while not stop.is_set():  # once stopped, the workers end anyway
                try:
                    work.put(_DONE, timeout=0.2)
                    break
                except queue.Full:
                    continue
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]
    return tally


def deferred_message(tally: Tally, shown: int = 10) -> str:
    """One line naming the deferred (and given-up) recipients and why."""
    parts = []
    for label, people in (
        ("deferred, tried again by the next run", tally.deferred),
        (f"given up for this digest after {DEFERRAL_RUNS} runs", tally.gave_up),
    ):
        if not people:
            continue
        named = "; ".join(
            f"{email} ({why})" for email, why in list(people.items())[:shown]
        )
        more = f"; and {len(people) - shown} more" if len(people) > shown else ""
        parts.append(f"{len(people)} {label}: {named}{more}")
    return " | ".join(parts)
