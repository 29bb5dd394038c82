"""`make digest` as a new site owner runs it: no trap (issue 15)."""

from __future__ import annotations

import pytest

from digest.errors import DigestError
from digest.run import send
from tests.digest_support import (
    SETTINGS,
    Recorder,
    atom_feed,
    digest_settings,
    smtp_server,
    write_feed,
    write_subscribers,
)
from tests.sitebuild import run_module
from tests.test_digest import FIVE, NOVEMBER, OCTOBER, options


@pytest.mark.parametrize(
    "site", ["http://127.0.0.1:8000", "http://essays.example.org", "https://x.local"]
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_development_feed_is_refused_with_one_line(tmp_path, site, dry_run):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        atom_feed([OCTOBER, NOVEMBER]).replace("https://essays.example.org", site)
    )
    write_subscribers(tmp_path / "subscribers.csv", [f"{a},," for a in FIVE])
    with pytest.raises(DigestError, match="run `make publish SITEURL=https://") as e:
        send(digest_settings(), options(tmp_path, feed, dry_run=dry_run))
    assert "\n" not in str(e.value) and site in str(e.value)
    assert not (tmp_path / "outbox").exists()
    assert not (tmp_path / "state.json").exists()


def digest_cli(tmp_path, *extra: str):
    return run_module(
        "digest",
        f"--settings={tmp_path / 'digestconf.py'}",
        "send",
        f"--feed={tmp_path / 'feed.xml'}",
        f"--subscribers={tmp_path / 'subscribers.csv'}",
        f"--outbox={tmp_path / 'outbox'}",
        "--since=2026-10-01",
        *extra,
        timeout=60,
    )


def test_an_outbox_run_keeps_its_own_record_and_a_real_run_still_sends(tmp_path):
    (tmp_path / "digestconf.py").write_text(f"DIGEST = {SETTINGS!r}\n")
    write_feed(tmp_path / "feed.xml", [OCTOBER, NOVEMBER])
    write_subscribers(tmp_path / "subscribers.csv", [f"{a},," for a in FIVE])
    local = digest_cli(tmp_path)
    assert local.returncode == 0, local.stderr
    assert "nothing was emailed" in local.stderr
    assert f"{tmp_path / 'outbox' / 'new'}" in local.stderr
    assert len(list((tmp_path / "outbox" / "new").iterdir())) == 5
    assert (tmp_path / "outbox" / "digest-state.json").exists()

    recorder = Recorder()
    with smtp_server(recorder) as (host, port):
        real = digest_cli(
            tmp_path, f"--state={tmp_path / 'state.json'}", f"--smtp={host}:{port}"
        )
    assert real.returncode == 0, real.stderr
    assert sorted(recorder.recipients()) == FIVE  # not "nothing new"
    assert f"through {host}:{port}: 5 delivered" in real.stderr
    # No lock file left behind by either run.
    assert not list(tmp_path.rglob("*.lock"))
