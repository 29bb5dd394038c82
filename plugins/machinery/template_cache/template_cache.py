"""Keep the theme's compiled templates between builds, next to the content cache.

Jinja compiles every template from its source in every build: about two
dozen here, a noticeable share of a rebuild after one edit (`make
devserver` runs a fresh Pelican per save). Jinja's own bytecode cache keeps
the compiled code in CACHE_PATH/jinja and uses an entry only while its
template's source is the same (it keys each by the source's checksum and
Jinja's version), so an edited template is always compiled anew.

What the checksum does not cover is the environment a template was compiled
for (JINJA_ENVIRONMENT: trim_blocks and the like). So the compiled templates
follow the content cache: whenever Pelican does not load that cache
(`--ignore-cache`, `make publish`, or cache_guard finding a changed setting
or plugin), they are thrown away and compiled afresh, and kept only when
the content cache is written (CACHE_CONTENT).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from plugins.machinery import plugin_settings

FOLDER = "jinja"
# Read by plugins/machinery/plugin_settings at the start of the build:
# cache_guard's `initialized` handler switches LOAD_CONTENT_CACHE off, and
# drop_unless_loading below reads it on the same signal, so it must run later.
REQUIRES_BEFORE = {
    "cache_guard": "it throws the compiled templates away whenever the content "
    "cache is not loaded, and cache_guard decides that first",
}


def _folder(settings: dict) -> Path:
    return Path(settings["CACHE_PATH"]) / FOLDER


def drop_unless_loading(pelican) -> None:
    """initialized (after cache_guard's check): no content cache, no templates."""
    settings = pelican.settings
    folder = _folder(settings)
    if not settings.get("LOAD_CONTENT_CACHE") and folder.is_dir():
        FileSystemBytecodeCache(str(folder)).clear()


def attach_cache(generator) -> None:
    """generator_init: give this generator's Jinja environment the cache."""
    settings = generator.settings
    if not settings.get("CACHE_CONTENT"):
        return
    folder = _folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def register() -> None:
    plugin_settings.register()
    signals.initialized.connect(drop_unless_loading)
    signals.generator_init.connect(attach_cache)
