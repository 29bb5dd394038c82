"""Serve a built site the way Netlify or Cloudflare Pages would: with `_headers`."""

from __future__ import annotations

import fnmatch
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Rules = list[tuple[str, list[tuple[str, str]]]]


def parse_headers_file(text: str) -> Rules:
    """`_headers`: a path pattern line, then its headers on indented lines."""
    rules: Rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif not rules or ":" not in line:
            raise ValueError(f"_headers:{number}: a header needs a path line above it")
        else:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class _HeadersHandler(SimpleHTTPRequestHandler):
    rules: Rules = []

    def end_headers(self):
        for pattern, headers in self.rules:
            if fnmatch.fnmatch(self.path.split("?")[0], pattern):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve_with_headers(folder: Path, port: int = 0) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 with the headers of its `_headers` file."""
    headers_file = folder / "_headers"
    rules = parse_headers_file(headers_file.read_text("utf-8"))
    handler_class = type("HeadersHandler", (_HeadersHandler,), {"rules": rules})
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
