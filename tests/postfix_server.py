"""A private Postfix instance on a free loopback port, owned by a test or bench.

Debian's `postfix` package (bash .ci/run installs it) with its own
config_directory and queue in a temporary folder: the system's Postfix, if
any, is neither used nor touched. It accepts mail for any address from
127.0.0.1 only and never relays: every message is delivered into one Maildir
(`deliver="maildir"`, the raw bytes as Postfix received them, plus its
Return-Path and Received lines at the top) or discarded (`deliver="discard"`,
for throughput). Nothing can leave the machine: there is no relay transport
and no DNS lookup.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"


class PostfixMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class PostfixInstance:
    host: str
    port: int
    maildir: Path  # the Maildir every message lands in (deliver="maildir")
    root: Path

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    def delivered(self) -> list[bytes]:
        """The raw bytes of every message delivered so far, oldest first."""
        folder = self.maildir / "new"
        if not folder.is_dir():
            return []
        files = sorted(folder.iterdir(), key=lambda f: f.stat().st_mtime_ns)
        return [f.read_bytes() for f in files]

    def wait_for(self, count: int, timeout: float = 60.0) -> list[bytes]:
        """Postfix delivers after it accepted: wait until `count` are in."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            messages = self.delivered()
            if len(messages) >= count:
                return messages
            time.sleep(0.1)
        raise AssertionError(
            f"Postfix delivered {len(self.delivered())} of {count} messages "
            f"in {timeout:.0f} s (see {self.root / 'maillog'})"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _main_cf(root: Path, deliver: str) -> str:
    nobody = pwd.getpwnam("nobody")
    transport = "virtual" if deliver == "maildir" else "discard"
    return f"""\
compatibility_level = 3.6
queue_directory = {root}/queue
data_directory = {root}/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = {root}
maillog_file = {root}/maillog
myhostname = mx.postfix-test.invalid
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_recipient_restrictions = permit_mynetworks, reject
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
default_process_limit = 100
disable_dns_lookups = yes
smtp_host_lookup = native
smtputf8_enable = no
# Never relayed: anything not for the virtual "domain" below is discarded.
relayhost =
default_transport = discard:never relayed
relay_transport = discard:never relayed
virtual_mailbox_domains = static:all
virtual_transport = {transport}
virtual_mailbox_base = {root}/mail
virtual_mailbox_maps = static:inbox/
virtual_uid_maps = static:{nobody.pw_uid}
virtual_gid_maps = static:{nobody.pw_gid}
"""


def _master_cf(port: int) -> str:
    source = Path("/etc/postfix/master.cf").read_text()
    lines = []
    for line in source.splitlines():
        if line.startswith("smtp ") and " inet " in line:
            line = f"127.0.0.1:{port} inet n - n - - smtpd"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
            return probe.recv(4).startswith(b"220")
    except OSError:
        return False


@contextmanager
def postfix(
    deliver: str = "maildir", root: Path | None = None
) -> Iterator[PostfixInstance]:
    """Start a private Postfix; stop it (and leave its folder) at the end."""
    if not Path(POSTFIX).exists() or not Path("/etc/postfix/master.cf").exists():
        raise PostfixMissing(
            "Postfix is not installed: apt-get install postfix (bash .ci/run does)"
        )
    owned = root is None
    root = Path(tempfile.mkdtemp(prefix="postfix-test-", dir=root))
    root.chmod(0o755)  # mkdtemp's 0700 would keep Postfix's own users out
    port = _free_port()
    for folder in ("conf", "queue", "data", "mail"):
        (root / folder).mkdir()
    postfix_user = pwd.getpwnam("postfix")
    os.chown(root / "data", postfix_user.pw_uid, postfix_user.pw_gid)
    nobody = pwd.getpwnam("nobody")
    os.chown(root / "mail", nobody.pw_uid, nobody.pw_gid)
    (root / "conf" / "main.cf").write_text(_main_cf(root, deliver))
    (root / "conf" / "master.cf").write_text(_master_cf(port))
    conf = str(root / "conf")
    started = subprocess.run(
        [POSTFIX, "-c", conf, "start"], capture_output=True, text=True
    )
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            if time.monotonic() > deadline:
                log = (
                    (root / "maillog").read_text()
                    if (root / "maillog").exists()
                    else ""
                )
                raise RuntimeError(
                    f"Postfix did not listen on 127.0.0.1:{port}: "
                    f"{started.stderr.strip()} {log[-2000:]}"
                )
            time.sleep(0.05)
        yield PostfixInstance("127.0.0.1", port, root / "mail" / "inbox", root)
    finally:
        subprocess.run([POSTFIX, "-c", conf, "stop"], capture_output=True)
        if owned:
            shutil.rmtree(root, ignore_errors=True)
