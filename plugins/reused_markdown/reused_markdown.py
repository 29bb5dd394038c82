"""One Markdown converter per build, reset between files, not one per file.

Pelican's MarkdownReader builds a new `markdown.Markdown` for every file it
reads, and setting one up (loading and wiring every extension: extra, toc,
smarty, the checklists) cost more than a third as much as converting the
essay itself. Python-Markdown is made to be reused: `Markdown.reset()`
clears each extension's state between documents, and Pelican itself already
reuses its converter that way for the formatted metadata fields (Summary).

This reader keeps two converters: one for documents, with the `meta`
extension reading the metadata lines, and one for the formatted fields,
without it, as Pelican's own reader does. Everything else is Pelican's.
"""

from __future__ import annotations

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open


class ReusedMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader with its converters made once per reader."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._document_md: Markdown | None = None
        self._fields_md: Markdown | None = None

    def read(self, source_path):
        self._source_path = source_path
        if self._document_md is None:
            self._document_md = Markdown(**self.settings["MARKDOWN"])
        self._md = self._document_md.reset()
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        meta = getattr(self._md, "Meta", None)
        return content, self._parse_metadata(meta) if meta else {}

    def _parse_metadata(self, meta):
        # Pelican's method converts the fields with self._md after removing
        # its "meta" preprocessor: hand it the fields' converter, which has
        # had it removed once, and put back the one it would remove again.
        if self._fields_md is None:
            self._fields_md = Markdown(**self.settings["MARKDOWN"])
        else:
            _restore_meta(self._fields_md)
        self._md = self._fields_md
        return super()._parse_metadata(meta)


def _restore_meta(md: Markdown) -> None:
    from markdown.extensions.meta import MetaPreprocessor

    # The priority Python-Markdown's meta extension registers it with.
    md.preprocessors.register(MetaPreprocessor(md), "meta", 27)


def use_reused_reader(readers) -> None:
    """readers_init: read Markdown files with ReusedMarkdownReader."""
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = ReusedMarkdownReader


def register() -> None:
    signals.readers_init.connect(use_reused_reader)
