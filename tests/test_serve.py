"""`make serve`: the built site over HTTP, many clients at once, its own 404."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.not_found import assert_the_sites_404_page
from tests.sitebuild import PROJECT, make_argv

TIMEOUT = 60  # seconds; a limit for waiting, never a measured time


@pytest.fixture(scope="module")
def served(site) -> Iterator[str]:
    """`make serve` on the session's built site, on a free port."""
    process = subprocess.Popen(
        make_argv("-s", "--no-print-directory", "serve", f"OUTPUTDIR={site}", "PORT=0"),
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    threading.Thread(
        target=lambda: lines.extend(line.rstrip() for line in process.stdout),
        daemon=True,
    ).start()
    deadline = time.monotonic() + TIMEOUT
    url = None
    while url is None and time.monotonic() < deadline and process.poll() is None:
        for line in lines:
            if found := re.search(r"serving .* on (http://127\.0\.0\.1:\d+)/", line):
                url = found[1]
        time.sleep(0.05)
    try:
        assert url, "\n".join(lines)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_make_serve_serves_the_built_site(served, site: Path):
    status, body = get(served + "/what-is-customer-service/")
    assert status == 200
    assert body == (site / "what-is-customer-service" / "index.html").read_bytes()


def test_a_second_client_is_served_while_a_first_holds_a_connection(served):
    host, port = served.removeprefix("http://").split(":")
    # A first client connects and sends half a request, as an idle browser
    # tab keeping its connection alive does; Pelican's server waited on it.
    with socket.create_connection((host, int(port)), timeout=10) as first:
        first.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        status, body = get(served + "/")  # urlopen's own timeout: 10 s
        assert status == 200 and b"<h1>" in body
        # The first client is still served once it finishes its request.
        first.sendall(b"Connection: close\r\n\r\n")
        assert first.recv(64).startswith(b"HTTP/1.1 200")


def test_make_serve_answers_a_missing_address_with_the_sites_404(served, page):
    assert_the_sites_404_page(page, served)


def test_make_serve_without_a_build_is_one_clear_line(tmp_path):
    missing = tmp_path / "never-built"
    result = subprocess.run(
        make_argv("-s", "--no-print-directory", "serve", f"OUTPUTDIR={missing}"),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode != 0
    assert f"serve: error: {missing} does not exist" in result.stderr
    assert "Traceback" not in result.stderr
