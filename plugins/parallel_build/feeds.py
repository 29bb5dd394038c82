"""Write the feeds in a second process while this one writes the pages.

On a cold build of a large site the feeds are a fair share of the writing
(two per category and per series, each entry an essay's full text made
absolute), and nothing else in the build reads them: no page is made from a
feed, no plugin waits for one. So when the essays were read in parallel
(reading.py), the articles generator's output step forks: the child writes
the feeds (Pelican's, and the series feeds, which plugins/series_feeds writes
with Pelican's) while this process writes the pages; the child is waited for
before `article_writer_finalized`, where a serial build would have written
everything too.

The child shows nothing itself: forked beside Rich's refresh thread, it could
wait for ever on a console lock that thread held. Its log records go to a
file instead, and this process logs them once the child is done, so they are
shown, counted and de-duplicated as if written here.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import tempfile
from functools import partial

from pelican import signals
from pelican.generators import ArticlesGenerator

from .reading import READ_IN_PARALLEL
from .settings import processes

logger = logging.getLogger(__name__)


class FeedsFailed(RuntimeError):
    """The feeds' process stopped with an error (logged just before)."""


def write_feeds_alongside(generators) -> None:
    """all_generators_finalized: the articles generator's output step forks."""
    for generator in generators:
        if type(generator) is ArticlesGenerator:
            generator.generate_output = partial(_generate_output, generator)


def _generate_output(generator: ArticlesGenerator, writer) -> None:
    """ArticlesGenerator.generate_output (Pelican 4.12: feeds, pages, then
    article_writer_finalized), the feeds in a child process."""
    config = generator.settings["PARALLEL_BUILD"]
    read = generator.context.get(READ_IN_PARALLEL, 0)
    if processes(config) < 2 or read < max(config["min_essays"], 1):
        ArticlesGenerator.generate_output(generator, writer)
        return
    with tempfile.TemporaryFile() as records:
        sys.stdout.flush()
        sys.stderr.flush()
        child = os.fork()
        if child == 0:
            _write_feeds_and_exit(generator, writer, records)
        try:
            generator.generate_pages(writer)
        finally:
            _, status = os.waitpid(child, 0)
            _log_records_from(records)
    if os.waitstatus_to_exitcode(status) != 0:
        raise FeedsFailed("the feeds could not be written (see the error above)")
    logger.info("parallel_build: the feeds written by a second process")
    signals.article_writer_finalized.send(generator, writer=writer)


def _write_feeds_and_exit(generator, writer, records) -> None:
    """In the child: write the feeds, hand over the log, never return."""
    status = 1
    try:
        _send_log_records_to(records)
        generator.generate_feeds(writer)
        status = 0
    except BaseException:  # noqa: BLE001 - reported through the log records
        logger.exception("parallel_build: writing the feeds failed")
    finally:
        records.flush()
        os._exit(status)


class _RecordsToFile(logging.Handler):
    def __init__(self, file) -> None:
        super().__init__(logging.NOTSET)
        self.file = file

    def emit(self, record: logging.LogRecord) -> None:
        # The message made now: its arguments may not survive pickling.
        record.msg = record.getMessage()
        record.args = None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        pickle.dump(record, self.file)


def _send_log_records_to(file) -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_RecordsToFile(file))


def _log_records_from(file) -> None:
    file.flush()
    file.seek(0)
    while True:
        try:
            record = pickle.load(file)
        except EOFError:
            return
        # handle(), not log(): the child applied the levels already, and a
        # fatal warning is reported by the child's exit status.
        try:
            logging.getLogger(record.name).handle(record)
        except Exception:  # noqa: BLE001, S112
            # Pelican's de-duplicating filter raises (FilteredMessage) for a
            # record it drops, as this one was shown already.
            continue
