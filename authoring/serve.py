"""`make serve`: serve the built output folder, without building.

The devserver's kind of server (authoring/site_files.py): many clients at
once, the site's own 404 page for a missing address.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from tornado import httpserver, web

from authoring.site_files import PortError, bind, site_route


def say(message: str) -> None:
    print(f"serve: {message}", flush=True)


async def _serve(output: Path, sockets) -> None:
    server = httpserver.HTTPServer(web.Application([site_route(output)]))
    server.add_sockets(sockets)
    host, port = sockets[0].getsockname()[:2]
    say(f"serving {output} on http://{host}:{port}/ (Ctrl-C stops)")
    try:
        await asyncio.Event().wait()
    finally:
        server.stop()


def main(args) -> int:
    output = args.output.resolve()
    if not output.is_dir():
        print(
            f"serve: error: {args.output} does not exist; build it first (make html)",
            file=sys.stderr,
        )
        return 1
    try:
        sockets = bind(args.host, args.port, "serve")
    except PortError as error:
        print(f"serve: error: {error}", file=sys.stderr)
        return 1
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    try:
        asyncio.run(_serve(output, sockets))
    except KeyboardInterrupt:
        say("stopped")
    return 0
