"""PARALLEL_BUILD: its keys, defaults and kinds (plugins/machinery/plugin_settings),
and how many processes that allows on this machine."""

from __future__ import annotations

import multiprocessing
import os
import sys

from plugins.machinery.plugin_settings import Option, SettingsDict, whole_number

PARALLEL_BUILD = SettingsDict(
    "PARALLEL_BUILD",
    {
        # Worker processes; 0: one per CPU this process may run on.
        "processes": Option(0, whole_number(0)),
        # Fewer essays to read than this: all are read in this process.
        "min_essays": Option(64, whole_number(0)),
    },
)


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
