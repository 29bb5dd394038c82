"""livereload's tornado handlers, which the devserver builds on (livereload's
own server injects an inline <script> that a strict CSP forbids). None is
documented API: checked on import, with one line naming what is missing."""

from __future__ import annotations

from . import check

check(used_by="devserver")

from livereload.handlers import (  # noqa: E402
    LiveReloadHandler,
    LiveReloadJSHandler,
    StaticFileHandler,
)
from livereload.server import LiveScriptInjector  # noqa: E402
from livereload.watcher import Watcher  # noqa: E402

__all__ = [
    "LiveReloadHandler",
    "LiveReloadJSHandler",
    "LiveScriptInjector",
    "StaticFileHandler",
    "Watcher",
]
