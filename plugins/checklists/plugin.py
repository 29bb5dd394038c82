"""Signal handlers: settings, the Markdown extension, warnings, the outputs."""

from __future__ import annotations

import json
import logging
import os
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator

from . import settings as checklist_settings
from .collect import collect, essay_groups, to_json
from .mdext import PROBLEMS_METADATA, ChecklistExtension

logger = logging.getLogger(__name__)


def _extension(settings: dict) -> ChecklistExtension | None:
    extensions = settings.get("MARKDOWN", {}).get("extensions", [])
    return next((e for e in extensions if isinstance(e, ChecklistExtension)), None)


def initialize(pelican) -> None:
    """Validate CHECKLISTS once and hand Markdown the extension."""
    settings = pelican.settings
    settings["CHECKLISTS"] = checklist_settings.validate(settings.get("CHECKLISTS"))
    markdown = settings.setdefault("MARKDOWN", {})
    extensions = markdown.setdefault("extensions", [])
    # One extension per build: autoreload may hand us the same settings again.
    extensions[:] = [e for e in extensions if not isinstance(e, ChecklistExtension)]
    automatic = settings["CHECKLISTS"]["automatic_lists"]
    extensions.append(ChecklistExtension(automatic=automatic))


def articles_reading(generator) -> None:
    extension = _extension(generator.settings)
    if extension:
        extension.enabled = True


def pages_reading(generator) -> None:
    # Pages are not essays: their markers are removed, their lists left alone.
    extension = _extension(generator.settings)
    if extension:
        extension.enabled = False


def warn_about_markup(content) -> None:
    """Warnings naming file and line, for every essay, cached or not."""
    problems = content.metadata.get(PROBLEMS_METADATA)
    if not problems or not isinstance(content, Article):
        return
    shown = os.path.relpath(content.source_path, content.settings.get("PATH", "."))
    for line, severity, message in json.loads(problems):
        kind = "checklist markup error" if severity == "error" else "checklist markup"
        logger.warning("%s:%d: %s: %s", shown, line, kind, message)


def gather(generator) -> None:
    """After the essays are read: their checklists, for templates and writers."""
    essays = collect(generator.articles, generator.settings)
    generator.context["checklist_essays"] = essays


def page_first(generators) -> None:
    """all_generators_finalized: the quick-reference page is written at the
    start of the articles generator's writing, before the essays, so that
    every page the search indexes is on disk once the essays are
    (plugins/pagefind_search starts Pagefind then, while the listings are
    written). The JSON, which nothing indexes, waits for the end."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            generator.generate_articles = partial(
                _page_then_articles, generator, generator.generate_articles
            )


def _page_then_articles(generator, generate_articles, write) -> None:
    write_page(generator, write)
    generate_articles(write)


def write_page(generator, write) -> None:
    """The quick-reference page through `write` (the articles generator's
    writer.write_file, relative URLs as the settings say)."""
    config = generator.settings["CHECKLISTS"]
    if not config["page_save_as"]:
        return
    template = generator.get_template(config["template"])
    relative = generator.settings["RELATIVE_URLS"]
    depth = config["page_save_as"].count("/")
    prefix = "../" * depth if relative else generator.settings["SITEURL"] + "/"
    groups = essay_groups(generator.context.get("checklist_essays", []), prefix)
    write(
        config["page_save_as"],
        template,
        generator.context,
        url=config["page_url"],
        quickref=groups,
        quickref_title=config["page_title"],
        quickref_url=config["page_url"],
    )


def write_json(generator, writer) -> None:
    """article_writer_finalized: checklists.json."""
    config = generator.settings["CHECKLISTS"]
    if not config["json_save_as"]:
        return
    path = Path(generator.output_path) / config["json_save_as"]
    path.parent.mkdir(parents=True, exist_ok=True)
    document = to_json(
        generator.context.get("checklist_essays", []), generator.settings
    )
    # No indent: only the compact form uses json's C encoder.
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    logger.info('Writing "%s"', path)


def register() -> None:
    signals.initialized.connect(initialize)
    signals.article_generator_preread.connect(articles_reading)
    signals.page_generator_preread.connect(pages_reading)
    signals.content_object_init.connect(warn_about_markup)
    signals.article_generator_finalized.connect(gather)
    signals.all_generators_finalized.connect(page_first)
    signals.article_writer_finalized.connect(write_json)
