"""Refuse to delete an output folder that holds the site's own sources.

Pelican skips DELETE_OUTPUT_DIRECTORY silently when the output folder is the
content folder's parent, but it would still empty the content folder itself,
the theme, or a folder inside the content. This plugin stops the build with an
error naming the folder instead, before anything is deleted.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals

logger = logging.getLogger(__name__)


class UnsafeOutputPath(SystemExit):
    """The build stops: deleting this output folder would lose sources."""


def _protected_folders(settings: dict) -> list[Path]:
    folders = [settings["PATH"], settings.get("THEME")]
    folders += settings.get("PLUGIN_PATHS") or []
    return [Path(folder).resolve() for folder in folders if folder]


def unsafe_reason(settings: dict) -> str | None:
    """Why deleting OUTPUT_PATH would lose sources, or None when it is safe."""
    if not settings.get("DELETE_OUTPUT_DIRECTORY"):
        return None
    output = Path(settings["OUTPUT_PATH"]).resolve()
    if output == Path(output.anchor) or output == Path.home().resolve():
        return f"{output} is the file-system root or the home folder"
    for folder in _protected_folders(settings):
        if output == folder or output in folder.parents:
            return f"{output} is or contains {folder}"
        if folder in output.parents and folder == Path(settings["PATH"]).resolve():
            return f"{output} is inside the content folder {folder}"
    return None


def refuse_unsafe_output(pelican) -> None:
    reason = unsafe_reason(pelican.settings)
    if reason:
        message = f"refusing to delete the output folder: {reason}"
        logger.critical(message)
        raise UnsafeOutputPath(f"pelican: {message}")


def register() -> None:
    signals.initialized.connect(refuse_unsafe_output)
