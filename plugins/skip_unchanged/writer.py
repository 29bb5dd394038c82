"""Pelican's Writer, skipping pages and feeds whose key matches the record.

A page is skipped inside `write_file` at the last moment, when its template
is about to be rendered with the page's local context: the key is computed
from that very context, so it sees everything the template would. The
writer then goes on as for a written page (Pelican's bookkeeping of written
files, `content_written` with the same local context, the shared context's
`localsiteurl`), except that the file is neither rendered nor opened.
"""

from __future__ import annotations

import io
import logging
import os
from typing import Any

from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)


class _Unchanged:
    """Stands in for a template: renders it, or nothing when the key matches."""

    def __init__(self, writer: SkipUnchangedWriter, template: Any) -> None:
        self.writer = writer
        self.template = template

    def __getattr__(self, name: str) -> Any:
        return getattr(self.template, name)

    def render(self, localcontext: dict) -> str:
        writer, state = self.writer, self.writer.state
        path = sanitised_join(writer.output_path, localcontext["output_file"])
        key = state.page_key(self.template, localcontext)
        if key is not None and state.unchanged(path, key):
            writer.skipping.add(path)
            return ""
        writer.pending[path] = key
        return self.template.render(localcontext)


class SkipUnchangedWriter(Writer):
    state: Any  # the build's BuildState, set on the subclass made per build

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.skipping: set[str] = set()
        self.pending: dict[str, str | None] = {}

    def write_file(self, name, template, context, *args, **kwargs):  # noqa: ANN001
        if name:
            template = _Unchanged(self, template)
        try:
            return super().write_file(name, template, context, *args, **kwargs)
        finally:
            self._settle()

    def write_feed(
        self,
        elements,
        context,
        path=None,
        url=None,
        feed_type="atom",
        override_output=False,
        feed_title=None,
    ):  # noqa: ANN001
        if path:
            complete = sanitised_join(self.output_path, path)
            key = self.state.feed_key(
                elements, context, path, url, feed_type, override_output, feed_title
            )
            if key is not None and self.state.unchanged(complete, key):
                self.skipping.add(complete)
                self._open_w(complete, "utf-8", override_output)
                self._settle()
                # No feed object: feed_generated and feed_written are not
                # sent, which the state allows only when their receivers
                # change nothing but the feed they are given.
                return None
            self.pending[complete] = key
        try:
            return super().write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            )
        finally:
            self._settle()

    def _open_w(self, filename: str, encoding: str, override: bool = False):
        if filename not in self.skipping:
            return super()._open_w(filename, encoding, override)
        # Pelican's own bookkeeping (writers.Writer._open_w, Pelican 4.12),
        # without opening the file: a second write to one path fails or is
        # dropped exactly as when the page is rendered.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time '
                    "(was previously overwritten)"
                )
        elif filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already '
                "written to it previously (set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return io.StringIO()

    def _settle(self) -> None:
        """After a write: record what was written, count what was skipped."""
        for path in self.skipping:
            self.state.kept(path)
        self.skipping.clear()
        for path, key in self.pending.items():
            self.state.written(path, key)
        self.pending.clear()


def stat_of(path: str) -> list[int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ino]
