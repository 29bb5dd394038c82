"""An image enclosure in every feed entry whose essay names an image.

An essay names its image with one metadata line, a path inside the content
folder that STATIC_PATHS publishes (the `{static}` prefix is optional):

    Image: images/handshake.jpg

RSS requires the enclosure's length in bytes and its MIME type; both come
from the file itself. A missing or non-image file is an error naming the
essay, so a build with `--fatal warnings` stops.
"""

from __future__ import annotations

import logging
import mimetypes
import os

from feedgenerator import Enclosure
from pelican import signals

logger = logging.getLogger(__name__)

STATIC_PREFIXES = ("{static}/", "{static}", "{attach}/", "{attach}", "/")


def _content_path(value: str) -> str:
    path = value.strip()
    for prefix in STATIC_PREFIXES:
        if path.startswith(prefix):
            return path[len(prefix) :]
    return path


def _entry_link(siteurl: str, url: str) -> str:
    # The same address Pelican's writer gives the entry (<link>).
    return siteurl.rstrip("/") + "/" + url.lstrip("/")


def _enclosure_for(article, context) -> Enclosure | None:
    value = article.metadata.get("image")
    if not value:
        return None
    path = _content_path(str(value))
    static = context.get("static_content", {}).get(path)
    if static is None:
        logger.error(
            "%s: Image: %s is not a static file of the site (put it under one "
            "of STATIC_PATHS, e.g. content/images/)",
            article.source_path,
            value,
        )
        return None
    mime_type, _ = mimetypes.guess_type(path)
    if not mime_type or not mime_type.startswith("image/"):
        logger.error("%s: Image: %s is not an image", article.source_path, value)
        return None
    length = os.path.getsize(static.source_path)
    url = _entry_link(context["SITEURL"], static.url)
    return Enclosure(url, str(length), mime_type)


# This runs once per feed (two per series): the essays with an image are
# found once per build, and each essay's enclosure (file size, type, URL;
# an error logged for a bad image) made once, kept in the build's context.
MEMO_KEY = "_feed_enclosures_by_link"
ENCLOSURES_KEY = "_feed_enclosures_made"


def _essays_with_images(context) -> dict:
    """{entry link: essay} for every essay that names an image."""
    if MEMO_KEY not in context:
        articles = list(context.get("articles", [])) + list(
            context.get("hidden_articles", [])
        )
        context[MEMO_KEY] = {
            _entry_link(context["SITEURL"], a.url): a
            for a in articles
            if a.metadata.get("image")
        }
    return context[MEMO_KEY]


def add_enclosures(context, feed) -> None:
    """feed_generated: attach each essay's image to its entry."""
    by_link = _essays_with_images(context)
    if not by_link:
        return
    made: dict[str, Enclosure | None] = context.setdefault(ENCLOSURES_KEY, {})
    for item in feed.items:
        link = item["link"].removesuffix("?ref=feed")
        article = by_link.get(link)
        if article is None:
            continue
        if link not in made:
            made[link] = _enclosure_for(article, context)
        enclosure = made[link]
        if enclosure is not None:
            item["enclosures"] = [enclosure]


def register() -> None:
    signals.feed_generated.connect(add_enclosures)
