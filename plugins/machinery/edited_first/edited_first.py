"""The devserver's edited page first, before the rest of the site.

After every save the devserver builds the whole site again (a warm build
writes what a cold one writes: docs/build-speed.md), which takes seconds at
a thousand essays. The page being edited need not wait for the other
thousand: with EDITED_FIRST set (by the devserver, for one build; never in
pelicanconf.py), once every generator has its context and Pelican is about
to write, this plugin writes the page of each changed essay or page into
EDITED_FIRST["folder"] and names it, one save_as path a line, on the file
descriptor EDITED_FIRST["notify_fd"]. The devserver shows it at once; the
build goes on as usual and the whole site replaces it when it is done.

The page is rendered from this build's own context with the call Pelican's
generators make for it (generators.py: generate_articles, generate_drafts,
PagesGenerator.generate_output), through a Writer of its own, so it is the
page the whole build then writes, byte for byte
(tests/test_authoring_devserver_first.py). Two things are kept from the rest
of the build: `content_written` is muted while it writes (the sitemap and
the search plugin would otherwise note a page outside the output folder),
and the context's `localsiteurl`, which Pelican's writer leaves set to the
last page's, is put back.
"""

from __future__ import annotations

import os
from itertools import chain

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.writers import Writer

from plugins.machinery import plugin_settings
from plugins.machinery.plugin_settings import (
    TEXT,
    Option,
    SettingsDict,
    list_of,
    optional,
    whole_number,
)

EDITED_FIRST = SettingsDict(
    "EDITED_FIRST",
    {
        # The changed source files; none: the plugin does nothing.
        "sources": Option([], list_of("a list of paths", TEXT.accepts)),
        # Where the pages go: beside the served folder, never inside it.
        "folder": Option(None, optional(TEXT)),
        # Open for writing in this process, inherited from the devserver.
        "notify_fd": Option(None, optional(whole_number(0))),
    },
)
# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (EDITED_FIRST,)

_generators: list = []


def keep_generators(generators) -> None:
    """all_generators_finalized: the generators, for `write_edited_first`."""
    _generators[:] = generators


def write_edited_first(pelican) -> None:
    """get_writer: sent once every generator's context is final (Pelican has
    refreshed the intersite links), just before anything is written."""
    generators, _generators[:] = list(_generators), []
    config = EDITED_FIRST.read(pelican.settings)
    if not config["sources"] or None in (config["folder"], config["notify_fd"]):
        return
    wanted = {os.path.realpath(source) for source in config["sources"]}
    writer = Writer(config["folder"], settings=pelican.settings)
    written = []
    for generator in generators:
        for content, fields in _pages(generator):
            if os.path.realpath(content.source_path) in wanted:
                _write(writer, generator, content, fields)
                written.append(content.save_as)
    with os.fdopen(config["notify_fd"], "w", encoding="utf-8") as notify:
        notify.write("".join(f"{save_as}\n" for save_as in written))


def _write(writer: Writer, generator, content, fields: dict) -> None:
    context = generator.context
    kept = context.get("localsiteurl")
    try:
        with signals.content_written.muted():
            writer.write_file(
                content.save_as,
                generator.get_template(content.template),
                context,
                relative_urls=generator.settings["RELATIVE_URLS"],
                override_output=hasattr(content, "override_save_as"),
                url=content.url,
                **fields,
            )
    finally:
        context["localsiteurl"] = kept


def _pages(generator):
    """(content, the fields its template gets) for each page of `generator`,
    as Pelican's own generator passes them."""
    if isinstance(generator, ArticlesGenerator):
        for article in chain(
            generator.translations,
            generator.articles,
            generator.hidden_translations,
            generator.hidden_articles,
        ):
            category = getattr(article, "category", None)
            yield article, {"article": article, "category": category, "blog": True}
        for draft in chain(generator.drafts_translations, generator.drafts):
            yield (
                draft,
                {
                    "article": draft,
                    "category": draft.category,
                    "blog": True,
                    "all_articles": generator.articles,
                },
            )
    elif isinstance(generator, PagesGenerator):
        for page in chain(
            generator.translations,
            generator.pages,
            generator.hidden_translations,
            generator.hidden_pages,
            generator.draft_translations,
            generator.draft_pages,
        ):
            yield page, {"page": page}


def register() -> None:
    plugin_settings.register()
    signals.all_generators_finalized.connect(keep_generators)
    signals.get_writer.connect(write_edited_first)
