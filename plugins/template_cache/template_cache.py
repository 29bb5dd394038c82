"""Keep the theme's compiled templates between builds, next to the content cache.

Jinja compiles every template from its source in every build: about two
dozen here, a noticeable share of a rebuild after one edit (`make
devserver` runs a fresh Pelican per save). Jinja's own bytecode cache stores
the compiled code under CACHE_PATH/jinja and uses it only while the
template's source is the same (it keys each entry by the source's checksum,
and Jinja's version), so a changed template is always compiled anew.

It is used when Pelican loads its content cache (LOAD_CONTENT_CACHE, as in
`make html` and the devserver); `--ignore-cache` and `make publish` compile
everything, as before.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals

FOLDER = "jinja"


def attach_cache(generator) -> None:
    """generator_init: give this generator's Jinja environment the cache."""
    settings = generator.settings
    if not (settings.get("LOAD_CONTENT_CACHE") and settings.get("CACHE_CONTENT")):
        return
    folder = Path(settings["CACHE_PATH"]) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    generator.env.bytecode_cache = FileSystemBytecodeCache(str(folder))


def register() -> None:
    signals.generator_init.connect(attach_cache)
