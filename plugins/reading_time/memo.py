"""Word counts kept between builds, next to the content cache.

Counting an essay's words strips its HTML of markup and decodes entities:
about 0.1 s for 1,000 essays, on every build, also after one essay is
edited. The count depends on the HTML alone, so this keeps each count under
a hash of that HTML (CACHE_PATH/reading_time.json) and counts again only an
essay whose HTML is new.

The file follows the content cache: it is read only when Pelican loads that
cache (not with `--ignore-cache`, `make publish`, or after cache_guard found
a changed setting or plugin) and written only when Pelican keeps it
(CACHE_CONTENT). It also names how its counts were made (this plugin's
source, the MarkupSafe version): counts made otherwise are dropped.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

logger = logging.getLogger(__name__)

FILE = "reading_time.json"


def _maker() -> str:
    """How a count is made: the counting code and the markup stripper."""
    source = Path(__file__).with_name("reading_time.py").read_bytes()
    try:
        markupsafe = importlib.metadata.version("markupsafe")
    except importlib.metadata.PackageNotFoundError:
        markupsafe = "absent"
    return f"{hashlib.sha256(source).hexdigest()} markupsafe {markupsafe}"


class WordCounts:
    """One build's word counts by HTML: the last build's, and this one's."""

    def __init__(self, settings: dict, count: Callable[[str], int]) -> None:
        self._count = count
        self._enabled = bool(settings.get("CACHE_CONTENT"))
        self._path = Path(settings["CACHE_PATH"]) / FILE
        self._maker = _maker() if self._enabled else ""
        self._known: dict[str, int] = {}
        if self._enabled and settings.get("LOAD_CONTENT_CACHE"):
            self._known = self._read()
        self._used: dict[str, int] = {}

    def _read(self) -> dict[str, int]:
        try:
            data = json.loads(self._path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("maker") != self._maker:
            return {}
        counts = data.get("counts")
        if not isinstance(counts, dict):
            return {}
        return {
            key: value
            for key, value in counts.items()
            if isinstance(value, int) and not isinstance(value, bool)
        }

    def words(self, html: str) -> int:
        if not self._enabled:
            return self._count(html)
        data = html.encode("utf-8", "surrogatepass")  # any str, even a lone surrogate
        key = hashlib.blake2b(data, digest_size=16).hexdigest()
        words = self._known.get(key)
        if words is None:
            words = self._count(html)
        self._used[key] = words
        return words

    def save(self) -> None:
        """Keep this build's counts only (an essay's old HTML is gone)."""
        if not self._enabled or self._used == self._known:
            return
        try:
            self._write()
        except OSError as error:
            # As Pelican does when it cannot save its own cache.
            logger.warning("Could not save word counts %s\n ... %s", self._path, error)

    def _write(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # Atomic: a build stopped half-way leaves the old file or the new.
        handle, temporary = tempfile.mkstemp(
            dir=self._path.parent, prefix=FILE, suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump({"maker": self._maker, "counts": self._used}, file)
            os.replace(temporary, self._path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
