"""The duplicate window, measured: kill -9 during sends to a local Postfix.

Run: .venv/bin/python bench/digest_crash.py [--kills 8] [--size 600]

Each round sends one digest to SIZE subscribers through a private Postfix
(tests/postfix_server.py, Maildir delivery, loopback only), kills the sending
process with SIGKILL at a random moment, then reruns it to the end, and
counts who got the message twice (Postfix's X-Original-To lines) against the
uncertain deliveries the rerun reported.
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.digest_support import SETTINGS, FeedEntry, write_feed  # noqa: E402
from tests.postfix_server import postfix  # noqa: E402


def command(work: Path, address: tuple[str, int], connections: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "digest",
        f"--settings={work / 'digestconf.py'}",
        "send",
        f"--feed={work / 'feed.xml'}",
        f"--subscribers={work / 'subscribers.csv'}",
        f"--state={work / 'state.json'}",
        "--since=2026-10-01",
        f"--smtp={address[0]}:{address[1]}",
        f"--connections={connections}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=8)
    parser.add_argument("--size", type=int, default=600)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    total_dupes = total_uncertain = 0
    for round_ in range(args.kills):
        work = Path(tempfile.mkdtemp(prefix="digest-crash-"))
        (work / "digestconf.py").write_text(f"DIGEST = {SETTINGS!r}\n")
        write_feed(work / "feed.xml", [FeedEntry("nov", "November", "2026-11-01")])
        (work / "subscribers.csv").write_text(
            "email,name,status\n"
            + "".join(f"r{n}@example.org,,\n" for n in range(args.size))
        )
        with postfix() as server:
            run = subprocess.Popen(
                command(work, server.address, args.connections),
                cwd=PROJECT,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(random.uniform(1.0, 2.5))  # start-up is about 0.6 s
            run.send_signal(signal.SIGKILL)
            run.wait()
            rerun = subprocess.run(
                command(work, server.address, args.connections),
                cwd=PROJECT,
                capture_output=True,
                text=True,
            )
            assert rerun.returncode == 0, rerun.stderr
            found = re.search(r"(\d+) deliver(?:y is|ies are) uncertain", rerun.stderr)
            uncertain = int(found.group(1)) if found else 0
            messages = server.wait_for(args.size)
            time.sleep(1)  # let Postfix deliver any copy still queued
            messages = server.delivered()
        got = Counter(
            line.split(b": ", 1)[1]
            for message in messages
            for line in message.split(b"\n")
            if line.startswith(b"X-Original-To: ")
        )
        assert len(got) == args.size, "someone was missed"
        dupes = sum(n - 1 for n in got.values())
        total_dupes += dupes
        total_uncertain += uncertain
        print(
            f"kill {round_ + 1}: {dupes} duplicate(s), {uncertain} uncertain reported"
        )
    print(
        f"{args.kills} kills -9 over {args.connections} connections: "
        f"{total_dupes} duplicates in all ({total_dupes / args.kills:.2f} a kill), "
        f"{total_uncertain} uncertain reported; nobody missed"
    )


if __name__ == "__main__":
    main()
