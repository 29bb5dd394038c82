"""Pelican's Markdown reader, doing the same work with less overhead.

Two costs of reading 1,000 essays that produce nothing:

1. Pelican's MarkdownReader builds a new `markdown.Markdown` for every file,
   and setting one up (loading and wiring every extension: extra, toc,
   smarty, the checklists) cost more than a third as much as converting the
   essay. Python-Markdown is made to be reused: `Markdown.reset()` clears
   each extension's state between documents, and Pelican already reuses its
   converter that way for the formatted metadata fields (Summary). This
   reader keeps two converters per build: one for documents, with the `meta`
   extension reading the metadata lines, and one for the fields, without
   it, as Pelican's own reader does.

2. The smarty extension runs a second inline pass over every text of the
   document, trying each of its 19 patterns in turn, in Python, on text
   after text that holds nothing to educate. Every one of those patterns
   needs a quote, `--`, `...`, or (angled quotes) `<<` / `>>` in the text to
   match; a text with none of them is handed back as it is, untried.

tests/test_build_speed.py builds the site with and without this plugin and
compares every file.
"""

from __future__ import annotations

import re

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

# What at least one smarty pattern needs in a text to match (smarty.py in
# Python-Markdown 3.x: dashes, ellipses, quotes, angled quotes).
_SMARTY_CAN_MATCH = re.compile(r"""['"]|--|\.\.\.|<<|>>""")


class FastMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader with its converters made once per reader."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._document_md: Markdown | None = None
        self._fields_md: Markdown | None = None

    def read(self, source_path):
        self._source_path = source_path
        if self._document_md is None:
            self._document_md = _converter(self.settings["MARKDOWN"])
        self._md = self._document_md.reset()
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        meta = getattr(self._md, "Meta", None)
        return content, self._parse_metadata(meta) if meta else {}

    def _parse_metadata(self, meta):
        # Pelican's method converts the fields with self._md after removing
        # its "meta" preprocessor: hand it the fields' converter, with the
        # preprocessor it removes put back each time.
        if self._fields_md is None:
            self._fields_md = _converter(self.settings["MARKDOWN"])
        else:
            from markdown.extensions.meta import MetaPreprocessor

            # The priority Python-Markdown's meta extension gives it.
            self._fields_md.preprocessors.register(
                MetaPreprocessor(self._fields_md), "meta", 27
            )
        self._md = self._fields_md
        return super()._parse_metadata(meta)


def _converter(config: dict) -> Markdown:
    md = Markdown(**config)
    if "smarty" in md.treeprocessors:
        _skip_texts_smarty_cannot_change(md.treeprocessors["smarty"])
    return md


def _skip_texts_smarty_cannot_change(processor) -> None:
    # InlineProcessor's private per-text method (name-mangled). Should a
    # Markdown release rename it, this attribute is never called: smarty
    # then simply tries every text again, as without this plugin.
    original = processor._InlineProcessor__handleInline

    def handle_inline(data: str, patternIndex: int = 0) -> str:  # noqa: N803
        if not _SMARTY_CAN_MATCH.search(data):
            return data
        return original(data, patternIndex)

    processor._InlineProcessor__handleInline = handle_inline


def use_fast_reader(readers) -> None:
    """readers_init: read Markdown files with FastMarkdownReader."""
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = FastMarkdownReader


def register() -> None:
    signals.readers_init.connect(use_fast_reader)
