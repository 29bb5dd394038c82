"""Fewer garbage-collection passes while Pelican builds, as they were after.

A build makes hundreds of thousands of objects that live until it ends and
few reference cycles. At Python's default thresholds the collector walks the
young objects every 700 allocations: on a warm build of 1,000 essays about
60 ms went into passes that freed next to nothing. From the start of each
build to `finalized` this plugin runs the collector at mypy's thresholds
(below; memory grows a little between passes: they still run), then puts
back the ones it found, so that `pelican --autoreload` collects as before.

At exit, Python's last collections walk every object still alive: after a
cold build of 1,000 essays about 0.2 s, to free memory the system frees
anyway. `gc.freeze()`, in an exit handler, moves them out of the collector's
sight (they are still freed where nothing refers to them). Only at exit.
"""

from __future__ import annotations

import atexit
import gc

from pelican import signals

# Young objects allocated before a pass, and passes of each generation before
# the next one's (Python's defaults: 700, 10, 10).
THRESHOLDS = (200_000, 30, 30)
# The thresholds found at the start of a build, kept on the Pelican object: per
# build, nothing shared between builds.
ATTRIBUTE = "gc_thresholds_before"


def raise_thresholds(pelican) -> None:
    """get_generators (sent at the start of every build, where `initialized`
    is sent once per Pelican object, and `pelican --autoreload` builds again
    with the same one): from here on, fewer passes. Returns no generator."""
    if getattr(pelican, ATTRIBUTE, None) is None:
        setattr(pelican, ATTRIBUTE, gc.get_threshold())
    gc.set_threshold(*THRESHOLDS)


def restore_thresholds(pelican) -> None:
    """finalized: the thresholds as this build found them."""
    before = getattr(pelican, ATTRIBUTE, None)
    if before is not None:
        gc.set_threshold(*before)
        setattr(pelican, ATTRIBUTE, None)


def leave_objects_to_the_system_at_exit(pelican) -> None:
    """finalized: at exit, no collection over what the build left (once per
    process, however many builds it runs)."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def register() -> None:
    signals.get_generators.connect(raise_thresholds)
    signals.finalized.connect(restore_thresholds)
    signals.finalized.connect(leave_objects_to_the_system_at_exit)
