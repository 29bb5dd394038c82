"""`article.outline`: an essay's headings, for its table of contents.

Python-Markdown's toc extension (pelicanconf.py) gives every Markdown heading
an id, but Pelican keeps no list of them. Once the essays are read, each
essay's `outline` is read back from its HTML: each <h2> and <h3> that has an
id, in order, with its text: an attribute of the essay, which templates read.
A heading without an id (raw HTML an author pasted in) cannot be linked to
and is left out. The theme shows a table of contents only when an essay has
several (article.html).

The outline is read the first time a template asks for it, when the page is
written: every plugin has changed the HTML by then, and a devserver build
that shows the edited page first (plugins/machinery/edited_first) reads one
outline before it, not every essay's. Reading `content` makes Pelican
memoize it, so in PLUGINS this plugin comes after every plugin that changes
an essay's HTML once the essays are read (checklists fills in its links then:
RUNS_AFTER), should a future change read it earlier.
"""

from __future__ import annotations

from collections.abc import Sequence
from html.parser import HTMLParser
from typing import NamedTuple

from pelican import signals

from plugins.machinery import plugin_settings

# Read by plugins/machinery/plugin_settings at the start of the build.
RUNS_AFTER = {
    "checklists": "reading an essay's content makes Pelican keep it as it is, "
    'and the checklists\' "On the quick reference" links must be in it by then',
}
LEVELS = {"h2": 2, "h3": 3}


class Heading(NamedTuple):
    id: str
    title: str
    level: int


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self._open: tuple[str, str, int] | None = None  # tag, id, level
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in LEVELS and self._open is None:
            ident = dict(attrs).get("id")
            if ident:
                self._open = (tag, ident, LEVELS[tag])
                self._text = []

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            title = " ".join("".join(self._text).split())
            if title:
                self.found.append(Heading(self._open[1], title, self._open[2]))
            self._open = None

    def handle_data(self, data):
        if self._open:
            self._text.append(data)


def outline(html: str | None) -> list[Heading]:
    """The linkable <h2>/<h3> headings of `html`, in document order."""
    parser = _Headings()
    parser.feed(html or "")
    parser.close()
    return parser.found


class Outline(Sequence):
    """An essay's outline, read from its HTML on first use."""

    def __init__(self, essay) -> None:
        self._essay = essay
        self._headings: list[Heading] | None = None

    def _read(self) -> list[Heading]:
        if self._headings is None:
            self._headings = outline(self._essay.content)
        return self._headings

    def __getitem__(self, index):
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return f"Outline({self._read()!r})"


def add_outlines(generator) -> None:
    essays = generator.articles + generator.translations
    for essay in [*essays, *generator.drafts, *generator.drafts_translations]:
        essay.outline = Outline(essay)


def register() -> None:
    plugin_settings.register()
    signals.article_generator_finalized.connect(add_outlines)
