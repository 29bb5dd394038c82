"""Checklists: pulled out of the essays into a quick-reference page and JSON."""

from .plugin import register

__all__ = ["register"]
