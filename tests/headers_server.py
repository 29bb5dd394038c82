"""Serve a built site the way Netlify or Cloudflare Pages would: with `_headers`."""

from __future__ import annotations

import fnmatch
from contextlib import AbstractContextManager
from pathlib import Path

from tests.browser import QuietHandler, serve_with

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


class _HeadersHandler(QuietHandler):
    rules: Rules = []

    def end_headers(self):
        for pattern, headers in self.rules:
            if fnmatch.fnmatch(self.path.split("?")[0], pattern):
                for name, value in headers:
                    self.send_header(name, value)
        super().end_headers()


def serve_with_headers(folder: Path, port: int = 0) -> AbstractContextManager[str]:
    """Serve `folder` on 127.0.0.1 with the headers of its `_headers` file."""
    headers_file = folder / "_headers"
    rules = parse_headers_file(headers_file.read_text("utf-8"))
    handler_class = type("HeadersHandler", (_HeadersHandler,), {"rules": rules})
    return serve_with(handler_class, folder, port)
