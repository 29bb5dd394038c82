"""Make every URL inside feed entries absolute, resolved against the essay's URL.

Pelican makes only `{static}` and `{filename}` links absolute in feeds; a plain
relative `src` or `href` (`../quick-reference/`) stays relative, and feed
readers and RSS-to-email services resolve it against the feed's own address
(`/feeds/all.atom.xml`), which points somewhere else. In the page the URL is
relative to the essay, so that is the base used here.
"""

from __future__ import annotations

from feedgenerator import Atom1Feed, Rss201rev2Feed
from pelican import signals

from .urls import absolutize_html

# Entry fields that feedgenerator writes as HTML: Atom's summary and content,
# RSS's description (full content here, RSS_FEED_SUMMARY_ONLY is False).
HTML_FIELDS = ("description", "content")


# The same essay is an entry of several feeds (all, its category, its series;
# Atom and RSS): each (html, base) pair is parsed once per build. The memo
# lives in the build's context, so nothing outlives the build.
MEMO_KEY = "_absolute_feed_urls_memo"


def absolutize_feed(context, feed) -> None:
    """feed_generated: rewrite each entry's HTML against the entry's own link."""
    memo: dict[tuple[str, str], str] = context.setdefault(MEMO_KEY, {})
    for item in feed.items:
        base = item["link"]
        for field in HTML_FIELDS:
            if item.get(field):
                key = (str(item[field]), base)
                if key not in memo:
                    memo[key] = absolutize_html(*key)
                item[field] = memo[key]
    valid_entries(context, feed)


def valid_entries(context, feed) -> None:
    """What the W3C feed validator asks of each entry, ids left as they are.

    RSS: Pelican's <guid> is a tag URI, not a URL, so it must say
    isPermaLink="false". Atom (RFC 4287 4.1.2): an entry needs an author when
    the feed has none; an essay whose text names none is the site's own,
    credited by the site's name, never an invented person.
    """
    for item in feed.items:
        if isinstance(feed, Rss201rev2Feed):
            item["unique_id_is_permalink"] = False
        elif isinstance(feed, Atom1Feed) and not str(item.get("author_name") or ""):
            item["author_name"] = context.get("SITENAME", "")


def register() -> None:
    signals.feed_generated.connect(absolutize_feed)
