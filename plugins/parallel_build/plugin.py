"""Signal handlers: the settings (validated once, here), the essays' reading."""

from __future__ import annotations

from pelican import signals

from .reading import read_ahead
from .settings import read_settings


def check_settings(pelican) -> None:
    """initialized: stop at once on a bad PARALLEL_BUILD."""
    pelican.settings["PARALLEL_BUILD"] = read_settings(pelican.settings)


def register() -> None:
    signals.initialized.connect(check_settings)
    signals.article_generator_preread.connect(read_ahead)
