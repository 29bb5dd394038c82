"""Checklists: pulled out of the essays into a quick-reference page and JSON."""


def register() -> None:
    # Imported here, so that `from checklists.markup import find_problems`
    # (the authors' check) does not load Pelican.
    from .plugin import register as register_signals

    register_signals()
