"""Read the essays in several processes at once on a cold build.

Converting Markdown is the largest part of a cold build, and Pelican reads one
file after another on one CPU. When the articles generator is about to read
its first file, this forks worker processes (one per CPU) that run each
essay's reader (`reader.read(path)`: the Markdown conversion, Summary included)
and hand the results back. They go into Pelican's own reader cache, the one
a warm build loads from disk, stamped as of before the read. Pelican then goes
on exactly as it does on a warm build: for each file it finds the reader's
output in the cache and builds the Article itself, in this process, sending
every signal. So plugins, metadata and order are the ones of a serial build.

What stays serial, on purpose:
- a file whose read failed or logged a warning in a worker: the main process
  reads it again itself, so the error or warning is reported (and counted by
  `--fatal warnings`) exactly as without this plugin;
- builds with fewer essays to read than `min_essays` (a warm rebuild, a small
  site), where forking would cost more than it saves.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed

from pelican import signals
from pelican.utils import file_suffix

from plugins.machinery import compat, plugin_settings

from .settings import processes as available_processes

logger = logging.getLogger(__name__)

# Read by plugins/machinery/plugin_settings at the start of the build.
REQUIRES_BEFORE = {"compat": compat.CHECKED_FIRST}

# Files per task: small enough to balance the workers, large enough that the
# settings every result refers to are pickled rarely.
CHUNK_FILES = 25
# The number of essays the workers read, in the generator's context; set once
# the first preread is handled, so that the next ones (one per file) do
# nothing.
READ_IN_PARALLEL = "parallel_build_essays_read"


def read_ahead(generator) -> None:
    """article_generator_preread (sent before each file): on the first one,
    read every essay the cache does not hold, in worker processes."""
    if READ_IN_PARALLEL in generator.context:
        return
    generator.context[READ_IN_PARALLEL] = 0
    config = generator.settings["PARALLEL_BUILD"]
    processes = available_processes(config)
    if processes < 2:
        return
    paths = _paths_to_read(generator)
    if len(paths) < max(config["min_essays"], 2):
        return
    processes = min(processes, len(paths))
    # Four tasks a process balance the load; up to CHUNK_FILES a task keep the
    # settings every result refers to from being pickled over and over.
    size = max(1, min(CHUNK_FILES, len(paths) // (processes * 4)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    readers = generator.readers
    global _worker_generator
    _worker_generator = generator
    read = 0
    try:
        # concurrent.futures rather than multiprocessing.Pool: a worker that
        # dies (killed, out of memory) breaks the pool with an error here
        # instead of leaving the build waiting for ever.
        with ProcessPoolExecutor(
            processes, multiprocessing.get_context("fork"), _quiet_worker
        ) as pool:
            for done in as_completed([pool.submit(_read_chunk, c) for c in chunks]):
                for path, stamp, output in done.result():
                    # Stamped as of before the read: a file saved meanwhile
                    # is read again.
                    compat.cache_read(readers, path, stamp, output)
                    read += 1
    except Exception as error:  # noqa: BLE001 - reading in this process still works
        logger.warning("parallel_build: essays left to read in one process (%s)", error)
    finally:
        _worker_generator = None
    logger.info(
        "parallel_build: %d of %d essays read by %d processes",
        *(read, len(paths), processes),
    )
    generator.context[READ_IN_PARALLEL] = read


def _paths_to_read(generator) -> list[str]:
    """Absolute paths of the essays neither cache holds, in reading order."""
    readers = generator.readers
    wanted = []
    for relative in generator.get_files(
        generator.settings["ARTICLE_PATHS"],
        exclude=generator.settings["ARTICLE_EXCLUDES"],
    ):
        path = os.path.abspath(os.path.join(generator.path, relative))
        if file_suffix(path) not in readers.readers:
            continue
        if generator.get_cached_data(relative, None) is not None:
            continue  # the whole Article is cached (generator caching layer)
        if readers.get_cached_data(path, (None, None))[0] is not None:
            continue
        wanted.append(path)
    return wanted


# Inherited by the forked workers: the generator, its readers, their
# Markdown extensions and all.
_worker_generator = None


class _WarningSeen(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


_warning_seen = _WarningSeen()


def _quiet_worker() -> None:
    """In each worker: nothing it logs is shown; a warning marks the file as
    one for the main process to read (and report) itself."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(_warning_seen)


def _read_chunk(paths: list[str]) -> list[tuple[str, object, tuple]]:
    generator = _worker_generator
    readers = generator.readers
    results = []
    for path in paths:
        _warning_seen.seen = False
        try:
            # As Pelican's read_file does before each file (the checklists
            # plugin switches its Markdown extension on for essays here).
            signals.article_generator_preread.send(generator)
            stamp = compat.file_stamp(readers, path)
            content, metadata = readers.readers[file_suffix(path)].read(path)
        except Exception:  # noqa: BLE001 - the main process reads it and reports
            continue
        if _warning_seen.seen:
            continue
        # What Pelican's Readers.read_file caches for a file it read.
        results.append((path, stamp, (content, compat.cacheable_metadata(metadata))))
    return results


def register() -> None:
    # PARALLEL_BUILD (SETTINGS, __init__.py) is checked and merged over its
    # defaults at `initialized`, before the articles generator reads it.
    plugin_settings.register()
    signals.article_generator_preread.connect(read_ahead)
