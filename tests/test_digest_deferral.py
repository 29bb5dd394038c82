"""Stuck recipients deferred, parallel connections, uncertain deliveries (aiosmtpd).

aiosmtpd here because the faults are injected by its handlers: one address
answered 451 forever, another refused with 554 after its data.
"""

from __future__ import annotations

from collections import Counter

import pytest

from digest.errors import DeliveryFailed
from digest.run import send
from digest.sending import DEFERRAL_RUNS
from digest.state import Journal, load_state
from tests import test_digest
from tests.digest_support import Recorder, digest_settings, smtp_server
from tests.postfix_server import postfix
from tests.test_digest import FIVE, options

# The same feed and five subscribers as tests/test_digest.py.
feed = pytest.fixture(test_digest.feed.__wrapped__)
five = pytest.fixture(test_digest.five.__wrapped__)

STUCK_4XX = "reader2@example.org"
STUCK_5XX = "reader4@example.org"


class Faulty(Recorder):
    """451 to one address's data forever, 554 after another's data."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if STUCK_4XX in envelope.rcpt_tos:
            return "451 4.7.1 Greylisted, try again"
        if STUCK_5XX in envelope.rcpt_tos:
            return "554 5.7.1 Message content rejected"
        return await super().handle_DATA(server, session, envelope)


def test_stuck_recipients_are_deferred_and_the_run_goes_on(tmp_path, feed, five):
    settings = digest_settings()
    faulty = Faulty()
    with smtp_server(faulty) as address:
        with pytest.raises(DeliveryFailed) as stopped:
            send(settings, options(tmp_path, feed, smtp=address))
        message = str(stopped.value)
        assert stopped.value.exit_code == 1
        assert "2 deferred" in message
        assert f"{STUCK_4XX} (3 attempts, last: 451 4.7.1 Greylisted" in message
        assert f"{STUCK_5XX} (554 5.7.1 Message content rejected)" in message
        others = sorted(set(FIVE) - {STUCK_4XX, STUCK_5XX})
        assert sorted(faulty.recipients()) == others
        assert load_state(tmp_path / "state.json").pending is not None

        # The next runs try only the deferred ones again, then give them up.
        for _run in range(2, DEFERRAL_RUNS + 1):
            with pytest.raises(DeliveryFailed) as stopped:
                send(settings, options(tmp_path, feed, smtp=address))
        assert "given up for this digest after 3 runs" in str(stopped.value)
    assert sorted(faulty.recipients()) == others  # nobody served twice
    state = load_state(tmp_path / "state.json")
    assert state.pending is None and len(state.sent) == 2


def test_a_deferred_recipient_is_served_by_the_next_run(tmp_path, feed, five):
    settings = digest_settings()
    with smtp_server(Faulty()) as address, pytest.raises(DeliveryFailed):
        send(settings, options(tmp_path, feed, smtp=address))
    healthy = Recorder()
    with smtp_server(healthy) as address:
        report = send(settings, options(tmp_path, feed, smtp=address))
    assert sorted(healthy.recipients()) == sorted([STUCK_4XX, STUCK_5XX])
    assert report.already_served == 3 and report.delivered == 2
    assert load_state(tmp_path / "state.json").pending is None


def test_a_server_refusing_everyone_stops_the_run(tmp_path, feed):
    many = [f"r{n}@example.org" for n in range(30)]
    (tmp_path / "subscribers.csv").write_text(
        "email,name,status\n" + "".join(f"{a},,\n" for a in many)
    )
    refusing = Recorder(fail_after=0, failure="554 5.3.0 Nothing accepted")
    with (
        smtp_server(refusing) as address,
        pytest.raises(
            DeliveryFailed, match="10 recipients in a row could not be served"
        ),
    ):
        send(digest_settings(), options(tmp_path, feed, smtp=address))


def test_parallel_connections_serve_each_exactly_once_through_postfix(tmp_path, feed):
    many = [f"reader{n}@example.org" for n in range(200)]
    (tmp_path / "subscribers.csv").write_text(
        "email,name,status\n" + "".join(f"{a},,\n" for a in many)
    )
    with postfix() as server:
        report = send(
            digest_settings(),
            options(tmp_path, feed, smtp=server.address, connections=4, rate=400),
        )
        raw = server.wait_for(200)
    assert report.delivered == 200
    recipients = Counter(
        line.split(b": ", 1)[1].strip().decode()
        for message in raw
        for line in message.split(b"\n")
        if line.startswith(b"X-Original-To: ")
    )
    assert recipients == Counter(many)


def test_a_rerun_after_a_crash_counts_the_uncertain_deliveries(
    tmp_path, feed, five, caplog
):
    settings = digest_settings()
    dropping = Recorder(fail_after=0, drop=True)
    with smtp_server(dropping) as address, pytest.raises(DeliveryFailed):
        send(settings, options(tmp_path, feed, smtp=address))
    state = load_state(tmp_path / "state.json")
    journal = Journal(tmp_path / "state.json")
    # As a kill -9 leaves it: the attempt written, no outcome after it.
    journal.record(state.pending.digest_id, "attempt", "reader1@example.org")
    journal.close()
    assert journal.read(state.pending.digest_id).uncertain == {"reader1@example.org"}
    healthy = Recorder()
    with smtp_server(healthy) as address:
        report = send(settings, options(tmp_path, feed, smtp=address))
    assert report.uncertain == 1
    assert "1 delivery is uncertain" in caplog.text
    assert sorted(healthy.recipients()) == FIVE
