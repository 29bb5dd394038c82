"""Site search: Pagefind indexes the written site at the end of every build."""

from .pagefind_search import register

__all__ = ["register"]
