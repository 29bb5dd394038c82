"""One essay converted as the build converts it, for the authors' commands.

`make check` reports the problems (marker mistakes, lists read differently
from GitHub, lists kept or left out on a guess); `make checklists` prints
every checklist and every list left out, and why. Both use the plugin's own
Markdown extension, so they say what the build will do. No Pelican here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown import Markdown

from .extract import Checklist, extract
from .mdext import ChecklistExtension, with_checklists


@dataclass
class LeftOut:
    line: int
    reason: str


@dataclass
class Analysis:
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    checklists: list[tuple[int, Checklist]] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)


# One converter per settings and mode, reset between essays: setting one up
# costs more than converting an essay.
_CONVERTERS: dict[tuple[int, str], tuple[dict, Markdown, ChecklistExtension]] = {}


def _converter(markdown: dict, mode: str) -> tuple[Markdown, ChecklistExtension]:
    key = (id(markdown), mode)
    if key in _CONVERTERS and _CONVERTERS[key][0] is markdown:
        return _CONVERTERS[key][1:]
    extension = ChecklistExtension(mode=mode, ref_link=False)
    # As Pelican's MarkdownReader: every configured extension is loaded.
    named = list(markdown.get("extensions", []))
    named += [e for e in markdown.get("extension_configs", {}) if e not in named]
    config = {**markdown, "extensions": named}
    converter = Markdown(**{**config, "extensions": with_checklists(config, extension)})
    _CONVERTERS[key] = (markdown, converter, extension)
    return converter, extension


def analyse(text: str, markdown: dict, mode: str = "auto", title: str = "") -> Analysis:
    """`markdown` is Pelican's MARKDOWN setting; `mode` the site's default."""
    converter, extension = _converter(markdown, mode)
    html = converter.reset().convert(text)
    state = extension.last_state
    found = Analysis(problems=sorted(state.problems))
    lines = {d["id"]: d for d in state.decisions if d.get("id")}
    for checklist in extract(html, title, ""):
        decision = lines.get(checklist.id, {})
        checklist.kept_because = decision.get("reason", "")
        found.checklists.append((decision.get("line", 0), checklist))
    found.left_out = [
        LeftOut(d["line"], d["reason"]) for d in state.decisions if not d["kept"]
    ]
    return found
