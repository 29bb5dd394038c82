"""Site search: Pagefind indexes the written site at the end of every build."""

from .pagefind_search import register
from .settings import PAGEFIND_SEARCH

# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (PAGEFIND_SEARCH,)

__all__ = ["SETTINGS", "register"]
