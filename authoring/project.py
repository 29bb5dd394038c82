"""The project as Pelican sees it: settings, content folder, essays and pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Python-Markdown's file extensions in Pelican's MarkdownReader.
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mkd", ".mdown"}


@dataclass
class Project:
    settings: dict[str, Any]

    @property
    def content(self) -> Path:
        return Path(self.settings["PATH"])

    @property
    def essay_folders(self) -> list[Path]:
        return [self.content / folder for folder in self.settings["ARTICLE_PATHS"]]

    @property
    def page_folders(self) -> list[Path]:
        return [self.content / folder for folder in self.settings["PAGE_PATHS"]]

    def _markdown_files(self, folders: list[Path], excludes: str) -> list[Path]:
        excluded = {self.content / p for p in self.settings.get(excludes, [])}
        files: set[Path] = set()
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                hidden = any(part.startswith(".") for part in path.parts)
                if (
                    path.suffix in MARKDOWN_SUFFIXES
                    and path.is_file()
                    and not hidden
                    and not (excluded and any(p in excluded for p in path.parents))
                ):
                    files.add(path)
        return sorted(files)

    def essay_files(self) -> list[Path]:
        return self._markdown_files(self.essay_folders, "ARTICLE_EXCLUDES")

    def page_files(self, essays: list[Path] | None = None) -> list[Path]:
        """The pages, leaving out any essay (`essays`: the essay files, when
        the caller has them already)."""
        essays = set(self.essay_files() if essays is None else essays)
        pages = self._markdown_files(self.page_folders, "PAGE_EXCLUDES")
        return [path for path in pages if path not in essays]


class ProjectError(Exception):
    """The settings or the content folder cannot be used (a one-line reason)."""


def load_project(settings_file: Path, content: Path | None = None) -> Project:
    """Read the settings file the way Pelican does; `content` overrides PATH."""
    from pelican.settings import read_settings

    if not settings_file.is_file():
        raise ProjectError(f"no settings file {settings_file}")
    if content is not None and not content.is_dir():
        raise ProjectError(f"no content folder {content}")
    override = {"PATH": str(content.resolve())} if content else None
    try:
        settings = read_settings(str(settings_file), override=override)
    except Exception as error:  # the settings file is the author's Python
        raise ProjectError(
            f"cannot read {settings_file}: {type(error).__name__}: {error}"
        ) from error
    project = Project(settings)
    if not project.content.is_dir():
        raise ProjectError(f"no content folder {project.content}")
    return project
