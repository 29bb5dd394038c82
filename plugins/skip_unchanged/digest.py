"""Digests of what a page or feed shows: values, content objects, the site.

Values are pickled (C speed, and faithful: equal bytes mean equal values)
with two exceptions, made by `_Pickler.reducer_override`:
- a content object (essay, page, static file) stands for itself by its
  source path: what templates read from other content objects is digested
  once per build for the whole site (`BuildDigests.site`), and a page's own
  essay in full (`BuildDigests.content`);
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


# Marks of the tuples that stand for content objects and for tags (and the
# like), and of a tuple of the value's own that begins with a mark (_plain).
_CONTENT = "\x00skip_unchanged:content"
_WRAPPER = "\x00skip_unchanged:wrapper"
_TUPLE = "\x00skip_unchanged:tuple"
_MARKS = frozenset({_CONTENT, _WRAPPER, _TUPLE})


def _stand_in(value: Any) -> tuple | None:
    """What a content object or a tag, category or author stands as in a
    digest (None for any other value): the one definition both the pickler
    and _plain use."""
    if isinstance(value, Content):
        if value.source_path is None:
            raise Undigestible(f"{type(value).__name__} without a source path")
        return (_CONTENT, value.source_path)
    if isinstance(value, URLWrapper):
        return (
            _WRAPPER,
            type(value).__qualname__,
            str(value.name),
            value.slug,
            value.url,
        )
    return None


def _stand_in_ref(*stand_in: str) -> None:
    """Stands for a content object or a tag in pickles; never called."""


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=5)
        # No memo: the bytes must not depend on which equal values happen
        # to be one object (a cached essay and a freshly read one differ).
        self.fast = True

    def reducer_override(self, obj: Any) -> Any:
        # Called for every object but the plain builtins (str, int, dict,
        # list, tuple, set ...): cheap enough for thousands of essays.
        stand_in = _stand_in(obj)
        return NotImplemented if stand_in is None else (_stand_in_ref, stand_in)


class _Dumper:
    """A pickler kept for many values: making one costs more than pickling
    a small value. Each value's bytes are those of a fresh pickler (the
    buffer is emptied first, and a fast pickler keeps no memo)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._pickler = _Pickler(self._buffer)

    def dumps(self, value: Any) -> bytes:
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        try:
            self._pickler.dump(value)
        except Undigestible:
            raise
        except Exception as error:  # pickle raises many kinds; RecursionError too
            raise Undigestible(f"{type(value).__name__}: {error}") from error
        return buffer.getvalue()


def dumps(value: Any) -> bytes:
    return _Dumper().dumps(value)


def hexdigest(*parts: Any) -> str:
    return hashlib.blake2b(dumps(parts), digest_size=20).hexdigest()


# Values pickled as they are inside a larger pickle; any other value of a
# content object is pickled once a build by itself (BuildDigests.value).
PLAIN = frozenset({str, int, float, bool, type(None), bytes})


class BuildDigests:
    """One build's digests of content objects and of the whole site.

    Each is made once a build and kept by the object's id: the essays do not
    change while the pages are written (BuildState checks that no plugin
    listens to the signals that could let them). A content object's values
    other than strings and numbers (its series, metadata, tags, date) are
    pickled once each and the bytes reused: by its own digest (a page's own
    essay, a feed entry) and by the site's digest of that attribute (what
    other pages read of it), which would otherwise pickle them again.
    """

    def __init__(self) -> None:
        self._contents: dict[int, bytes] = {}
        # By id, with the value itself: kept alive, its id is not reused.
        self._values: dict[int, tuple[Any, bytes]] = {}
        self._attributes: dict[str, bytes] = {}
        self._sites: dict[tuple[str, ...] | None, str | Undigestible] = {}
        self._dumps = _Dumper().dumps

    def hexdigest(self, *parts: Any) -> str:
        return hashlib.blake2b(self._dumps(parts), digest_size=20).hexdigest()

    def value(self, value: Any) -> bytes:
        known = self._values.get(id(value))
        if known is None:
            try:
                plain = _plain(value)
            except Undigestible:
                raise
            except Exception as error:  # a list in itself, a tag without a URL
                raise Undigestible(f"{type(value).__name__}: {error}") from error
            known = self._values[id(value)] = (value, self._dumps(plain))
        return known[1]

    def content(self, content: Content) -> bytes:
        """Everything a content object holds: metadata, body, URL, summary.

        For a page's own essay and for feed entries, which show the body.
        """
        known = self._contents.get(id(content))
        if known is not None:
            return known
        state = []
        pickled = []  # positions in state of values given as their pickle
        for key, value in sorted(vars(content).items()):
            if key in NOT_SHOWN:
                continue
            if type(value) not in PLAIN:
                pickled.append(len(state))
                value = self.value(value)
            state.append((key, value))
        shown = (
            type(content).__qualname__,
            state,
            pickled,
            _read(content, "url"),
            _read(content, "status"),
            _read(content, "summary"),
        )
        known = hashlib.blake2b(self._dumps(shown), digest_size=20).digest()
        self._contents[id(content)] = known
        return known

    def site(self, contents: list[Content], attributes: tuple[str, ...] | None) -> str:
        """The given attributes of every content object (all of it for None).

        Each attribute is digested once a build for the whole site, however
        many templates read it. An attribute that is a method (what it
        returns is unknown) brings in the whole object, body included.
        """
        if attributes not in self._sites:
            try:
                if attributes is None:
                    parts = [self.content(content) for content in contents]
                else:
                    parts = [self._attribute(contents, name) for name in attributes]
                self._sites[attributes] = self.hexdigest(parts)
            except Undigestible as error:
                # Kept too: every page of the template would otherwise read
                # the whole site again only to fail again.
                self._sites[attributes] = error
        known = self._sites[attributes]
        if isinstance(known, Undigestible):
            raise Undigestible(str(known))
        return known

    def _attribute(self, contents: list[Content], name: str) -> bytes:
        """One attribute of every content object.

        Many names a template reads are not content attributes at all (a
        string's `endswith`, a dict's `get`): the values are read in one
        pass, and the objects that lack the attribute are digested as a list
        of their positions rather than one stand-in each.
        """
        known = self._attributes.get(name)
        if known is not None:
            return known
        try:
            values = [getattr(content, name, _MISSING) for content in contents]
        except Exception:  # noqa: BLE001 - a property failed: each as _read sees it
            values = [_read(content, name) for content in contents]
        missing = []
        pickled = []
        for index, value in enumerate(values):
            if type(value) in PLAIN:
                continue
            if value is _MISSING:
                missing.append(index)
                values[index] = None
            elif callable(value) and not isinstance(value, type):
                values[index] = self.content(contents[index])  # 20 bytes
                pickled.append(index)
            else:
                values[index] = self.value(value)
                pickled.append(index)
        data = self._dumps((name, missing, pickled, values))
        known = self._attributes[name] = hashlib.blake2b(data, digest_size=20).digest()
        return known


def _plain(value: Any) -> Any:
    """The value with the content objects, tags, categories and authors in
    its lists, dicts and tuples replaced by tuples that stand for them.

    What the pickler's reducer_override does too, but a pickler calls it
    (and then saves a function by name) for each of them: in an essay's
    series (every part listed three times over) that was most of its cost.
    """
    kind = type(value)
    if kind in PLAIN:
        return value
    if kind is list:
        return [item if type(item) in PLAIN else _plain(item) for item in value]
    if kind is dict:
        plain = {
            key if type(key) in PLAIN else _plain(key): item
            if type(item) in PLAIN
            else _plain(item)
            for key, item in value.items()
        }
        # Two keys that stand for one essay would be one key: keep the dict
        # as it is, for the pickler's reducer_override.
        return plain if len(plain) == len(value) else value
    if kind is tuple:
        items = tuple([item if type(item) in PLAIN else _plain(item) for item in value])
        if items and type(items[0]) is str and items[0] in _MARKS:
            return (_TUPLE, items)
        return items
    stand_in = _stand_in(value)
    return value if stand_in is None else stand_in


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
