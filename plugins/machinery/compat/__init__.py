"""Every use of a library's private or undocumented parts, in one place.

The project leans on a few parts of Pelican and livereload that no release
promises to keep. Each is named in NEEDED below with the versions it was
tried with, reached only through this module, and checked at start-up:
Pelican loads this as the first plugin (pelicanconf.py PLUGINS), and the
authoring commands import it, so a release that renamed one stops the build
or the command with one line naming the part and the versions it needs,
never a traceback from deep inside a build or every essay dropped silently.

Used by plugins/machinery/parallel_build (Pelican's reader cache),
plugins/machinery/frozen_urls
(a content URL set once), plugins/features/reading_time and plugins/features/checklists
(an
essay's HTML before Pelican rewrites its links), authoring/devserver.py and
authoring/site_files.py (livereload's handlers, in compat/livereload.py).
Imported as `compat` by plugins (Pelican's plugin loader has registered it
by then) and as `plugins.machinery.compat` by authoring.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import json
from typing import Any

# The releases each part was tried with (requirements.in allows these).
PELICAN = "pelican 4.11 to 4.12"
LIVERELOAD = "livereload 2.7"
# What the project needs: (module, attribute path, needed by, versions tried).
NEEDED = (
    ("pelican.readers", "Readers._cache", "parallel_build", PELICAN),
    ("pelican.readers", "Readers._get_file_stamp", "parallel_build", PELICAN),
    ("pelican.readers", "_filter_discardable_metadata", "parallel_build", PELICAN),
    ("pelican.contents", "Content._content", "reading_time, checklists", PELICAN),
    # Content.url returns override_url first, by get_url_setting("url").
    ("pelican.contents", "Content.get_url_setting", "frozen_urls", PELICAN),
    ("livereload.handlers", "LiveReloadHandler.waiters", "devserver", LIVERELOAD),
    ("livereload.handlers", "LiveReloadHandler.watcher", "devserver", LIVERELOAD),
    ("livereload.handlers", "LiveReloadJSHandler", "devserver", LIVERELOAD),
    ("livereload.handlers", "StaticFileHandler", "devserver", LIVERELOAD),
    ("livereload.server", "LiveScriptInjector.script", "devserver", LIVERELOAD),
    ("livereload.watcher", "Watcher", "devserver", LIVERELOAD),
)

# Log messages of a library that a plugin recognises by their text:
# (module that logs it, the message's format strings, any one of them
# enough, needed by, versions). A file Pelican's reader raised on: 4.12
# logs the path only, 4.11 the path and the exception.
UNREADABLE_FILE = ("Could not process %s", "Could not process %s\n%s")
MESSAGES = (("pelican.generators", UNREADABLE_FILE, "content_check", PELICAN),)


# Each plugin that imports this module declares REQUIRES_BEFORE = {"compat":
# compat.CHECKED_FIRST} (plugins/machinery/plugin_settings), so that PLUGINS
# loads this first and the check below runs before any of them is used.
CHECKED_FIRST = (
    "compat checks, as Pelican loads it, that the private parts of the "
    "libraries this plugin uses are there"
)


class MissingPrivatePart(SystemExit):
    """A library no longer has a part the project needs; it stops here."""


def _version(module: str) -> str:
    distribution = module.partition(".")[0]
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _has(module: str, path: str) -> bool:
    try:
        target: Any = importlib.import_module(module)
    except ImportError:
        return False
    for name in path.split("."):
        # Content._content, Readers._cache, LiveScriptInjector.script are
        # set on each object (or by the library at run time), not on the
        # class: there when a method of the class or its bases uses it.
        if not hasattr(target, name):
            return isinstance(target, type) and any(
                name in method.__code__.co_names
                for base in target.__mro__
                for method in vars(base).values()
                if hasattr(method, "__code__")
            )
        target = getattr(target, name)
    return True


def _logs(module: str, messages: tuple[str, ...]) -> bool:
    """Whether the module's source logs one of these format strings."""
    try:
        source = inspect.getsource(importlib.import_module(module))
    except (ImportError, OSError, TypeError):
        return False
    quoted = [json.dumps(message) for message in messages]
    return any(text in source for text in quoted)


def missing(needed=NEEDED, used_by: str | None = None, messages=MESSAGES) -> list[str]:
    """One line for each needed part not found (only those `used_by` uses)."""
    gone = [
        (module, f"no longer logs {' or '.join(map(repr, forms))} in", users, versions)
        for module, forms, users, versions in messages
        if not (used_by and used_by not in users) and not _logs(module, forms)
    ] + [
        (f"{module}.{path}", "is missing in", users, versions)
        for module, path, users, versions in needed
        if not (used_by and used_by not in users) and not _has(module, path)
    ]
    return [
        f"compat: {what} (used by {users}) {problem} "
        f"{what.partition('.')[0]} {_version(what)}; "
        f"this project needs {versions} (requirements.in)"
        for what, problem, users, versions in gone
    ]


def check(used_by: str | None = None) -> None:
    """Stop with one line when a needed part is missing."""
    lines = missing(used_by=used_by)
    if lines:
        # The first line is the whole message; the others follow it.
        raise MissingPrivatePart("\n".join(lines))


# Pelican ---------------------------------------------------------------------


def cache_read(readers: Any, path: str, stamp: Any, output: tuple) -> None:
    """Put one file's reader output in Pelican's reader cache, as
    FileStampDataCacher.cache_data would (which does nothing when
    CACHE_CONTENT is off, where the entry is needed too)."""
    readers._cache[path] = (stamp, output)


def file_stamp(readers: Any, path: str) -> Any:
    """The stamp Pelican's reader cache checks a file against."""
    return readers._get_file_stamp(path)


def cacheable_metadata(metadata: dict) -> dict:
    """What Pelican's Readers.read_file caches of a file's metadata."""
    from pelican.readers import _filter_discardable_metadata

    return _filter_discardable_metadata(metadata)


def rendered_html(content: Any) -> str:
    """An essay's HTML as its reader made it, before Pelican rewrites
    {filename} links (reading it logs no link warnings)."""
    return content._content or ""


def set_rendered_html(content: Any, html: str) -> None:
    content._content = html


def fix_url(content: Any) -> None:
    """From here on `content.url` returns what it returns now: Pelican's
    property returns `override_url` first (a `URL:` metadata line sets it,
    and is left alone)."""
    if not hasattr(content, "override_url"):
        content.override_url = content.url


def register() -> None:
    """Pelican loads this first: check every part the build's plugins use
    (not the devserver's: importing livereload would slow every build)."""
    lines = missing([part for part in NEEDED if part[2] != "devserver"])
    if lines:
        raise MissingPrivatePart("\n".join(lines))
