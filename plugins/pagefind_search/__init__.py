"""Site search: Pagefind indexes the pages as the build writes them."""

from .pagefind_search import register

__all__ = ["register"]
