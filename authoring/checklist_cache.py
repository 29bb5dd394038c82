"""`make check`'s checklist problems, kept per essay in the content cache folder.

Finding them means converting each essay as the build does (about 3 ms an
essay), which made `make check` some seconds long at 1,000 essays. An
essay's problems depend only on its text, the site's default mode, the
MARKDOWN setting and the code that reads it (the plugin, Python-Markdown,
markdown-it-py): a hash of all of these is the key, so an edit anywhere of
these converts again, and an unchanged essay is read from the cache. The
cache is a convenience: a folder that cannot be read or written only means
every essay is converted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path

CACHE_FILE = "checklist-problems.json"
# Bumped when what is stored changes shape.
_FORMAT = 1


def code_fingerprint(module_name: str, markdown: dict, mode: str) -> str:
    """A hash of what decides an essay's problems, besides its text."""
    digest = hashlib.sha256(f"{_FORMAT}\0{mode}\0".encode())
    module = sys.modules[module_name]
    for path in sorted(Path(module.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("markdown", "markdown-it-py", "mdit-py-plugins"):
        try:
            digest.update(f"{package}={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none\0".encode())
    # An extension object's repr may change between runs: a miss, not a
    # wrong answer.
    digest.update(json.dumps(markdown, sort_keys=True, default=repr).encode())
    return digest.hexdigest()


class ProblemCache:
    """Problems by hash of (code fingerprint, essay text); saved once."""

    def __init__(self, folder: str | None, fingerprint: str) -> None:
        self.path = Path(folder) / CACHE_FILE if folder else None
        self.fingerprint = fingerprint
        self.stored: dict[str, list] = {}
        self.used: dict[str, list] = {}
        if self.path is None:
            return
        try:
            stored = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(stored, dict):
            self.stored = stored

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{text}".encode()).hexdigest()

    def get(self, text: str) -> list[tuple[int, str, str]] | None:
        key = self._key(text)
        found = self.stored.get(key)
        if not isinstance(found, list):
            return None
        self.used[key] = found
        return [tuple(problem) for problem in found]

    def put(self, text: str, problems: list[tuple[int, str, str]]) -> None:
        self.used[self._key(text)] = [list(problem) for problem in problems]

    def save(self) -> None:
        """Only this run's essays are kept: the file never grows stale."""
        if self.path is None or self.used == self.stored:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}")
            partial.write_text(json.dumps(self.used), "utf-8")
            os.replace(partial, self.path)  # never a half-written cache
        except OSError:
            pass
