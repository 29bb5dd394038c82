"""Ignore Pelican's content cache when a plugin, a setting or the software changed.

Pelican's content cache keeps what the readers made of each source file and
checks only that file's modification time. A plugin that changes how content
is read (a Markdown extension, say), a changed setting (MARKDOWN, a slug
rule) or a new Pelican would otherwise go unnoticed: the cache hides the
change until someone remembers `--ignore-cache`.

This plugin writes a fingerprint of what shapes the content next to the cache
(`CACHE_PATH/cache_guard.json`): the source files of every loaded plugin, the
settings, and the versions of Python, Pelican and Markdown. When the
fingerprint differs from the one the cache was written with, this build does
not load the cache (it writes a fresh one). The theme is left out: templates
are rendered anew on every build, so they never make the cache stale.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import sys
from pathlib import Path
from typing import Any

from pelican import signals

logger = logging.getLogger(__name__)

FINGERPRINT_FILE = "cache_guard.json"
# Settings that decide whether and where the cache is used, not what it holds;
# and the devserver's list of the files just saved (plugins/machinery/edited_first),
# different on every save.
IGNORED_SETTINGS = {"LOAD_CONTENT_CACHE", "CACHE_CONTENT", "CACHE_PATH", "EDITED_FIRST"}
# Kept on the Pelican object between its `initialized` and `finalized`
# signals: per build, nothing shared between builds.
ATTRIBUTE = "cache_guard_fingerprint"


def _stable(value: Any) -> Any:
    """A JSON-able, run-to-run stable picture of a settings value."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {str(key): _stable(item) for key, item in sorted(value.items(), key=str)}
    if isinstance(value, list | tuple):
        return [_stable(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_stable(item) for item in value), key=repr)
    name = getattr(value, "__qualname__", None) or type(value).__qualname__
    module = getattr(value, "__module__", None) or type(value).__module__
    text = repr(value)
    # Default reprs hold a memory address, different in every run.
    return f"{module}.{name}" + ("" if " at 0x" in text else f":{text}")


def _hash_files(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _plugin_sources(module: Any) -> list[Path]:
    folders = [Path(folder) for folder in getattr(module, "__path__", [])]
    if folders:
        return [
            path
            for folder in folders
            for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
    file = getattr(module, "__file__", None)
    return [Path(file)] if file else []


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def fingerprint(pelican: Any) -> dict[str, Any]:
    """What the cached content depends on, one hash or version per part."""
    settings = {
        key: value
        for key, value in pelican.settings.items()
        if key not in IGNORED_SETTINGS
    }
    settings_json = json.dumps(_stable(settings), sort_keys=True)
    return {
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "pelican": _version("pelican"),
        "markdown": _version("markdown"),
        "settings": hashlib.sha256(settings_json.encode()).hexdigest(),
        "plugins": {
            module.__name__: _hash_files(_plugin_sources(module))
            for module in pelican.plugins
        },
    }


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    changed = [
        part
        for part in ("python", "pelican", "markdown", "settings")
        if old.get(part) != new[part]
    ]
    old_plugins = old.get("plugins") or {}
    changed += [
        f"plugin {name}"
        for name in sorted(set(old_plugins) | set(new["plugins"]))
        if old_plugins.get(name) != new["plugins"].get(name)
    ]
    return changed


def _fingerprint_path(settings: dict[str, Any]) -> Path:
    return Path(settings["CACHE_PATH"]) / FINGERPRINT_FILE


def check_cache(pelican: Any) -> None:
    """On `initialized`: skip loading a cache written for other plugins or settings."""
    current = fingerprint(pelican)
    setattr(pelican, ATTRIBUTE, current)
    settings = pelican.settings
    if not (settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_CONTENT")):
        return
    path = _fingerprint_path(settings)
    try:
        written = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        written = None
    if written == current:
        return
    settings["LOAD_CONTENT_CACHE"] = False
    pelican.cache_guard_skipped_cache = True
    reason = (
        "it has no fingerprint"
        if not isinstance(written, dict)
        else "changed: " + ", ".join(_changes(written, current))
    )
    logger.info("Content cache not loaded (%s); writing a fresh one", reason)


def record_fingerprint(pelican: Any) -> None:
    """On `finalized`: the cache now matches this build's plugins and settings."""
    current = getattr(pelican, ATTRIBUTE, None)
    settings = pelican.settings
    if current is None or not settings.get("CACHE_CONTENT"):
        return
    path = _fingerprint_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, indent=1, sort_keys=True), "utf-8")
    if getattr(pelican, "cache_guard_skipped_cache", False):
        # `pelican --autoreload` runs this same Pelican object again: let its
        # next build load the cache this one has just written.
        settings["LOAD_CONTENT_CACHE"] = True
        pelican.cache_guard_skipped_cache = False


def register() -> None:
    signals.initialized.connect(check_cache)
    signals.finalized.connect(record_fingerprint)
