"""Signal handlers: settings, the Markdown extension, warnings, the outputs."""

from __future__ import annotations

import json
import logging
import os
import re
from functools import partial
from html import escape
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator

from plugins.machinery import compat

from .collect import collect, essay_groups, to_json
from .mdext import (
    PROBLEMS_METADATA,
    REF_ATTRIBUTE,
    REF_CLASS,
    ChecklistExtension,
    with_checklists,
)

logger = logging.getLogger(__name__)
_REF_PARAGRAPH = re.compile(
    r'<p class="checklist-ref" data-checklist-ref="([^"]*)"></p>'
)
REF_TEXT = "On the quick reference"
_ARTICLE_GROUPS = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)


def _extension(settings: dict) -> ChecklistExtension | None:
    extensions = settings.get("MARKDOWN", {}).get("extensions", [])
    return next((e for e in extensions if isinstance(e, ChecklistExtension)), None)


def initialize(pelican) -> None:
    """Hand Markdown the extension (CHECKLISTS is validated by now: SETTINGS
    in __init__.py, read by plugins/machinery/plugin_settings)."""
    settings = pelican.settings
    markdown = settings.setdefault("MARKDOWN", {})
    config = settings["CHECKLISTS"]
    # One extension per build: autoreload may hand us the same settings again.
    extension = ChecklistExtension(
        mode=config["default"], ref_link=bool(config["page_url"])
    )
    markdown["extensions"] = with_checklists(markdown, extension)


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
        if severity == "note":
            # Info, not a warning: `make publish` (--fatal warnings) goes on.
            logger.info("%s:%d: note: %s", shown, line, message)
            continue
        kind = "checklist markup error" if severity == "error" else "checklist markup"
        logger.warning("%s:%d: %s: %s", shown, line, kind, message)


def link_to_quick_reference(article, settings: dict) -> None:
    """Fill in each checklist's "On the quick reference" link, now that the
    essay's URL is known: relative in the page when the site's URLs are;
    plugins/workarounds/absolute_feed_urls makes it absolute in the feeds. A draft's
    checklists are on no quick reference yet: no link."""
    # The HTML as the reader made it (compat.rendered_html), not get_content's
    # copy with the links rewritten: the essay's stored HTML is what changes.
    html = compat.rendered_html(article)
    if not html or REF_ATTRIBUTE not in html:
        return
    if getattr(article, "status", "published") != "published":
        compat.set_rendered_html(article, _REF_PARAGRAPH.sub("", html))
        return
    page_url = settings["CHECKLISTS"]["page_url"]
    if settings.get("RELATIVE_URLS"):
        base = "../" * article.url.count("/") + page_url
    else:
        base = settings.get("SITEURL", "").rstrip("/") + "/" + page_url

    def link(match: re.Match) -> str:
        target = f"{base}#qr-{article.slug}-{match.group(1)}"
        return (
            f'<p class="{REF_CLASS}" data-pagefind-ignore>'
            f'<a href="{escape(target)}">{REF_TEXT}</a></p>'
        )

    compat.set_rendered_html(article, _REF_PARAGRAPH.sub(link, html))


def gather(generator) -> None:
    """After the essays are read: their checklists, for templates and writers."""
    essays = collect(generator.articles, generator.settings)
    generator.context["checklist_essays"] = essays
    # After reading_time's handler of this signal (RUNS_AFTER, __init__.py):
    # the links' words are not the essay's and are not counted.
    for group in _ARTICLE_GROUPS:
        for article in getattr(generator, group, []):
            link_to_quick_reference(article, generator.settings)


def page_first(generators) -> None:
    """all_generators_finalized: the quick-reference page is written at the
    start of the articles generator's writing, before the essays, so that
    every page the search indexes is on disk once the essays are
    (plugins/features/pagefind_search starts Pagefind then, while the listings are
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
