"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests: Debian's binaries.

initdb refuses to run as root (CI runs as root): then the cluster belongs to
the `postgres` user Debian's package creates (or `nobody`), in a temporary
folder that user owns. `.ci/run` installs the package when it is missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.digest_support import free_port


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/N)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _owner() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and no postgres or nobody user for initdb")


def _run(command: list[str], owner: str | None, **kwargs):
    if owner:
        command = ["runuser", "-u", owner, "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Start a cluster; yields its base URL postgresql://digest@127.0.0.1:PORT."""
    bindir = postgres_bin()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL is not installed: apt-get install postgresql (.ci/run does)"
        )
    owner = _owner()
    root = Path(tempfile.mkdtemp(prefix="digest-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    if owner:
        user = pwd.getpwnam(owner)
        for path in (root, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
    port = free_port()
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "digest",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            owner,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} "
            f"-c unix_socket_directories={sockets} -c fsync=off "
            "-c max_connections=200"
        )
        _run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(root / "log"),
                "start",
            ],
            owner,
            timeout=60,
        )
        try:
            yield f"postgresql://digest@127.0.0.1:{port}"
        finally:
            _run(
                [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                owner,
                timeout=60,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """A fresh database in the cluster; its URL."""
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"
