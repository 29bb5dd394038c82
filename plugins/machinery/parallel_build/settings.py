"""PARALLEL_BUILD: validated once, read by the reading and the feeds parts."""

from __future__ import annotations

import multiprocessing
import os
import sys

DEFAULTS = {"processes": 0, "min_essays": 64}


class ParallelBuildSettingsError(SystemExit):
    """PARALLEL_BUILD in pelicanconf.py is wrong; the build stops."""


def read_settings(settings: dict) -> dict:
    """PARALLEL_BUILD merged over the defaults; a clear error for a bad entry."""
    given = settings.get("PARALLEL_BUILD") or {}
    if not isinstance(given, dict):
        raise ParallelBuildSettingsError(
            f"pelicanconf.py: PARALLEL_BUILD must be a dict, got {type(given).__name__}"
        )
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ParallelBuildSettingsError(
            f"pelicanconf.py: PARALLEL_BUILD has unknown key(s) {unknown}; "
            f"known: {sorted(DEFAULTS)}"
        )
    merged = {**DEFAULTS, **given}
    for key, value in merged.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ParallelBuildSettingsError(
                f"pelicanconf.py: PARALLEL_BUILD[{key!r}] must be a whole number "
                f"0 or more, got {value!r}"
            )
    return merged


def processes(config: dict) -> int:
    """How many processes may work at once: 1 means none besides this one."""
    if not can_fork():
        return 1
    if config["processes"]:
        return config["processes"]
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    # macOS: forking a process that has loaded system frameworks is unsafe.
    methods = multiprocessing.get_all_start_methods()
    return sys.platform != "darwin" and "fork" in methods
