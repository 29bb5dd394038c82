"""The built site over HTTP, for `make serve` and `make devserver`.

Tornado serves it: many connections at once, so a browser tab that keeps one
open never stalls another client (Pelican's own `pelican -l` server answers
one connection at a time). A missing address gets the site's own 404.html,
with status 404, as a static host does.
"""

from __future__ import annotations

import socket
from pathlib import Path

from tornado import netutil

from plugins.machinery.compat.livereload import StaticFileHandler

NOT_FOUND_PAGE = "404.html"


class SiteFiles(StaticFileHandler):
    """The output folder's files; the site's 404 page for a missing one."""

    def write_error(self, status_code: int, **kwargs) -> None:
        page = Path(self.root) / NOT_FOUND_PAGE
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.finish(page.read_bytes())
            return
        super().write_error(status_code, **kwargs)


def site_route(output: Path, handler: type[SiteFiles] = SiteFiles) -> tuple:
    """The catch-all route serving `output`, /slug/ as /slug/index.html."""
    return (r"/(.*)", handler, {"path": str(output), "default_filename": "index.html"})


class PortError(Exception):
    """The address cannot be served on (a one-line reason)."""


def bind(host: str, port: int, command: str) -> list[socket.socket]:
    """Take the port first, so a busy one is said before anything else runs."""
    try:
        return netutil.bind_sockets(port, address=host)
    except OSError as error:
        raise PortError(
            f"cannot serve on {host}:{port}: {error.strerror}; "
            f"choose another port, e.g. make {command} PORT=8001"
        ) from None
