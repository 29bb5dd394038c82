"""Read the essays on every CPU on a cold build (docs/build-speed.md)."""

from .reading import REQUIRES_BEFORE, register
from .settings import PARALLEL_BUILD

# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (PARALLEL_BUILD,)

__all__ = ["REQUIRES_BEFORE", "SETTINGS", "register"]
