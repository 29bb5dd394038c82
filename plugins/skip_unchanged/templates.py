"""What a template can read, found from its source (Jinja's own parser).

For a template and every template it extends, includes or imports (its
closure), `analyse` finds:
- the variables it looks up in the page's context (`jinja2.meta`);
- the attributes it reads of anything other than the page's own `article`
  or `page`: those are what the page can show of *other* essays (a title in
  the series box, a reading time in a list), digested for the whole site;
- whether it reads in ways this analysis cannot follow (an attribute or
  template name computed at render time, a call to a function from the
  context, a filter or test not from Jinja or Pelican): then every essay's
  whole content, body included, is part of the page's key.

A body (`content`, `get_content`, `_content`, any `_private` name) read
from anything but the page's own essay makes every essay's body part of the
key, too: such a page is rendered again after any edit.
"""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.defaults
import jinja2.filters
import jinja2.tests
from jinja2 import TemplateNotFound, meta, nodes

# The page's own content object, as Pelican's generators pass it.
OWN = ("article", "page")
BODY = frozenset({"content", "get_content", "get_summary", "get_static_links"})
# Jinja filters and tests that read an attribute named by an argument.
BY_ATTRIBUTE = frozenset(
    {
        "attr",
        "map",
        "sort",
        "groupby",
        "sum",
        "selectattr",
        "rejectattr",
        "unique",
        "min",
        "max",
        "dictsort",
    }
)
# Names a template may call without reading anything outside its arguments.
SAFE_CALLS = frozenset(
    {"caller", "super", "varargs", "kwargs", "loop", "self", "namespace", "range"}
) | frozenset(jinja2.defaults.DEFAULT_NAMESPACE)


@dataclass(frozen=True)
class Analysis:
    sources: tuple[tuple[str, str | None], ...]  # (template, sha256 or None)
    variables: tuple[str, ...]  # looked up in the context, sorted
    own: tuple[str, ...]  # OWN names not rebound anywhere in the closure
    # Attributes read of other objects, sorted; None: anything, bodies too.
    attributes: tuple[str, ...] | None

    def to_json(self) -> dict:
        return {
            "sources": [list(pair) for pair in self.sources],
            "variables": list(self.variables),
            "own": list(self.own),
            "attributes": None if self.attributes is None else list(self.attributes),
        }

    @classmethod
    def from_json(cls, data: dict) -> Analysis:
        attributes = data["attributes"]
        return cls(
            sources=tuple((name, sha) for name, sha in data["sources"]),
            variables=tuple(data["variables"]),
            own=tuple(data["own"]),
            attributes=None if attributes is None else tuple(attributes),
        )


def source_sha(env: jinja2.Environment, name: str) -> str | None:
    try:
        source, _, _ = env.loader.get_source(env, name)
    except TemplateNotFound:
        return None
    return hashlib.sha256(source.encode()).hexdigest()


def still_valid(env: jinja2.Environment, analysis: Analysis) -> bool:
    """An analysis from the last build holds while its sources are the same."""
    return all(source_sha(env, name) == sha for name, sha in analysis.sources)


def environment_signature(env: jinja2.Environment) -> list[str]:
    """The filters, tests and globals an analysis judged: their origins."""

    def origin(function: Any) -> str:
        target = getattr(function, "func", function)
        module = getattr(target, "__module__", "?")
        name = f"{module}.{getattr(target, '__qualname__', '?')}"
        if module.startswith(("jinja2", "markupsafe", "pelican.")) or module in (
            "builtins",
        ):
            return name  # their versions are in the build fingerprint
        # A filter from pelicanconf.py or a plugin: its file's source, as
        # cache_guard names such a setting's function only.
        try:
            source = Path(inspect.getsourcefile(target) or "").read_bytes()
        except (OSError, TypeError):
            return f"{name}:unknown"
        return f"{name}:{hashlib.sha256(source).hexdigest()}"

    return sorted(
        f"{kind}:{name}={origin(function)}"
        for kind, table in (("f", env.filters), ("t", env.tests), ("g", env.globals))
        for name, function in table.items()
    )


def _builtin(function: Any, builtins: dict, name: str) -> bool:
    """A filter or test of Jinja itself or Pelican (their versions are in
    the build fingerprint); a plugin's or a setting's own is not followed."""
    if builtins.get(name) is function:
        return True
    target = getattr(function, "func", function)  # functools.partial
    module = getattr(target, "__module__", "") or ""
    return module.startswith("pelican.")


def analyse(env: jinja2.Environment, name: str) -> Analysis:
    sources: dict[str, str | None] = {}
    variables: set[str] = set()
    rebound: set[str] = set()
    own_reads: list[tuple[str, str]] = []  # (own name, attribute)
    attributes: set[str] = set()
    macros: set[str] = set()
    called: set[str] = set()
    followable = True
    queue = [name]
    while queue:
        current = queue.pop()
        if current in sources:
            continue
        try:
            source, filename, _ = env.loader.get_source(env, current)
        except TemplateNotFound:
            sources[current] = None  # `include ... ignore missing`
            continue
        sources[current] = hashlib.sha256(source.encode()).hexdigest()
        tree = env.parse(source, current, filename)
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                followable = False
            else:
                queue.append(referenced)
        variables |= meta.find_undeclared_variables(tree)
        for node in tree.find_all(nodes.Name):
            if node.ctx in ("store", "param"):
                rebound.add(node.name)
        for node in tree.find_all(nodes.Macro):
            macros.add(node.name)
        for node in tree.find_all(nodes.Import):
            rebound.add(node.target)
            macros.add(node.target)
        for node in tree.find_all(nodes.FromImport):
            for imported in node.names:
                alias = imported[1] if isinstance(imported, tuple) else imported
                rebound.add(alias)
                macros.add(alias)
        for node in tree.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name in OWN:
                own_reads.append((node.node.name, node.attr))
            else:
                attributes.add(node.attr)
        for node in tree.find_all(nodes.Getitem):
            if isinstance(node.arg, nodes.Slice):
                bounds = (node.arg.start, node.arg.stop, node.arg.step)
                if not all(b is None or isinstance(b, nodes.Const) for b in bounds):
                    followable = False
            elif not isinstance(node.arg, nodes.Const):
                followable = False
            elif isinstance(node.arg.value, str):
                if isinstance(node.node, nodes.Name) and node.node.name in OWN:
                    own_reads.append((node.node.name, node.arg.value))
                else:
                    attributes.add(node.arg.value)
        for node in tree.find_all((nodes.Filter, nodes.Test)):
            if isinstance(node, nodes.Filter):
                table, builtins = env.filters, jinja2.filters.FILTERS
            else:
                table, builtins = env.tests, jinja2.tests.TESTS
            function = table.get(node.name)
            if function is None or not _builtin(function, builtins, node.name):
                followable = False
            arguments = list(node.args) + [kw.value for kw in node.kwargs]
            for argument in arguments:
                if isinstance(argument, nodes.Const):
                    if isinstance(argument.value, str):
                        attributes.update(argument.value.split("."))
                elif node.name in BY_ATTRIBUTE:
                    followable = False
            if node.dyn_args or node.dyn_kwargs:
                followable = False
        for node in tree.find_all(nodes.Call):
            if isinstance(node.node, nodes.Name):
                called.add(node.node.name)
            if node.dyn_args or node.dyn_kwargs:
                followable = False
    if called - macros - SAFE_CALLS:
        followable = False  # a function from the context: anything
    own = tuple(name for name in OWN if name not in rebound)
    for own_name, attribute in own_reads:
        if own_name not in own:
            attributes.add(attribute)  # rebound: any object, not the page's
    reads_bodies = any(a in BODY or a.startswith("_") for a in attributes)
    return Analysis(
        sources=tuple(sorted(sources.items())),
        variables=tuple(sorted(variables)),
        own=own,
        attributes=None
        if (not followable or reads_bodies)
        else tuple(sorted(attributes)),
    )
