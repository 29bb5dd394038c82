"""Digests of what a page or feed shows: values, content objects, the site.

Values are pickled (C speed, and faithful: equal bytes mean equal values)
with two exceptions made by `persistent_id`:
- a content object (essay, page, static file) stands for itself by its
  source path: what templates read from other content objects is digested
  once per build for the whole site (`site_digest`), and a page's own
  essay in full (`content_digest`);
- a tag, category or author stands as its class, name, slug and URL (its
  settings, the same for all, are in the build fingerprint).
Equal values may still pickle differently (a set's order follows str
hashes, which differ from run to run): that only renders a page again.

Anything that cannot be pickled raises `Undigestible`: that page or feed
is then always rendered.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any

from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

# Attributes of a content object that are not what it shows: the settings
# (in the build fingerprint) and the build's shared context (huge, and what
# templates may read of it is digested as their variables).
NOT_SHOWN = frozenset({"settings", "_context"})


class Undigestible(Exception):
    """A value this module cannot digest faithfully."""


def _content_ref(source_path: str) -> None:
    """Stands for a content object in pickles; never called."""


def _wrapper_ref(*identity: str) -> None:
    """Stands for a tag, category or author in pickles; never called."""


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=5)
        # No memo: the bytes must not depend on which equal values happen
        # to be one object (a cached essay and a freshly read one differ).
        self.fast = True

    def reducer_override(self, obj: Any) -> Any:
        # Called for every object but the plain builtins (str, int, dict,
        # list, tuple, set ...): cheap enough for thousands of essays.
        if isinstance(obj, Content):
            if obj.source_path is None:
                raise Undigestible(f"{type(obj).__name__} without a source path")
            return _content_ref, (obj.source_path,)
        if isinstance(obj, URLWrapper):
            identity = (type(obj).__qualname__, str(obj.name), obj.slug, obj.url)
            return _wrapper_ref, identity
        return NotImplemented


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer).dump(value)
    except Undigestible:
        raise
    except Exception as error:  # pickle raises many kinds; RecursionError too
        raise Undigestible(f"{type(value).__name__}: {error}") from error
    return buffer.getvalue()


def hexdigest(*parts: Any) -> str:
    return hashlib.blake2b(dumps(parts), digest_size=20).hexdigest()


def content_digest(content: Content, memo: dict[int, bytes]) -> bytes:
    """Everything a content object holds: metadata, body, URL, summary.

    For a page's own essay and for feed entries, which show the body. The
    memo (per build, by id) holds while the essays do not change during
    writing (BuildState checks no plugin listens to the signals that could).
    """
    known = memo.get(id(content))
    if known is not None:
        return known
    state = {key: value for key, value in vars(content).items() if key not in NOT_SHOWN}
    shown = (
        type(content).__qualname__,
        sorted(state.items()),
        _read(content, "url"),
        _read(content, "status"),
        _read(content, "summary"),
    )
    memo[id(content)] = hashlib.blake2b(dumps(shown), digest_size=20).digest()
    return memo[id(content)]


def site_digest(
    contents: list[Content],
    attributes: tuple[str, ...] | None,
    memo: dict,
    by_attribute: dict[str, bytes],
) -> str:
    """The given attributes of every content object (all of it for None).

    Each attribute is digested once a build for the whole site
    (`by_attribute`), however many templates read it. An attribute that is
    a method (what it returns is unknown) brings in the whole object, body
    included.
    """
    if attributes is None:
        return hexdigest([content_digest(content, memo) for content in contents])
    for name in attributes:
        if name not in by_attribute:
            by_attribute[name] = _attribute_digest(contents, name, memo)
    return hexdigest([by_attribute[name] for name in attributes])


def _attribute_digest(contents: list[Content], name: str, memo: dict) -> bytes:
    """One attribute of every content object.

    Many names a template reads are not content attributes at all (a
    string's `endswith`, a dict's `get`): the values are read in one pass
    and the objects that lack the attribute are digested as a list of their
    positions, rather than one stand-in each.
    """
    try:
        values = [getattr(content, name, _MISSING) for content in contents]
    except Exception:  # noqa: BLE001 - a property failed: each value as _read sees it
        values = [_read(content, name) for content in contents]
    missing = []
    for index, value in enumerate(values):
        if value is _MISSING:
            missing.append(index)
            values[index] = None
        elif callable(value) and not isinstance(value, type):
            values[index] = content_digest(contents[index], memo)
    return hashlib.blake2b(dumps((name, missing, values)), digest_size=20).digest()


def _read(content: Content, name: str) -> Any:
    """An attribute, or what stands for its absence or failure: a static
    file has no summary, and reading one fails (so would a template)."""
    try:
        return getattr(content, name)
    except AttributeError:
        return _MISSING
    except Exception as error:  # noqa: BLE001 - any failure is the value
        return ("failed", type(error).__qualname__)


class _Missing:
    def __reduce__(self) -> str:
        return "_MISSING"


_MISSING = _Missing()
