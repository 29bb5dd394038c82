"""Pelican settings for development (`make html`, `make devserver`).

Production overrides live in publishconf.py, which imports this file.
"""

import os
import sys

# The plugins import their shared helper as plugins.machinery.plugin_settings
# (docs/reference.md, "Plugin settings and order"): the project's folder on
# the import path, whichever folder pelican is started in.
_PROJECT = os.path.dirname(os.path.abspath(__file__))
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)

SITENAME = "Understanding Customer Service"
SITESUBTITLE = "A monthly course in customer-service essays"
# The devserver address: feeds need an absolute domain even in development;
# pages use relative URLs (RELATIVE_URLS below), so any host can serve them.
SITEURL = "http://127.0.0.1:8000"
DEFAULT_LANG = "en"
TIMEZONE = "UTC"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PATH = "content"
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
OUTPUT_PATH = "output"
# Every build starts from an empty output folder: Pelican never removes the
# page of an essay deleted, renamed or made a draft, and Pagefind would go
# on indexing it (tests/test_no_stale_output.py). plugins/workarounds/safe_output
# refuses
# a folder that holds the sources.
DELETE_OUTPUT_DIRECTORY = True

THEME = "theme"

# Always explicit: left unset, Pelican loads every installed namespace plugin,
# and a stray one (pelican-search, say) can break the build.
PLUGIN_PATHS = ["plugins/features", "plugins/workarounds", "plugins/machinery"]
PLUGINS = [
    # First: checks that the private parts of Pelican the plugins below use
    # are there, and stops with one line naming what is missing.
    "compat",
    "safe_output",
    # `make check`'s engine over the content before the build reads it: an
    # error is one line naming the file and stops the build (docs/writing.md,
    # "make check").
    "content_check",
    "cache_guard",
    "pelican.plugins.series",
    "pelican.plugins.sitemap",
    # SITEMAP checked like the site's own plugins' dicts (pelican-sitemap
    # only logs a mistake and goes on).
    "sitemap_settings",
    "series_feeds",
    "absolute_feed_urls",
    "feed_enclosures",
    # The theme's: series_nav must follow pelican.plugins.series (it fixes
    # that plugin's draft leak); see each plugin's docstring. The order rules
    # are the plugins' own (REQUIRES_BEFORE, RUNS_AFTER), checked as the build
    # starts (docs/reference.md "Plugin settings and order").
    "series_nav",
    "reading_time",
    "site_origin",
    # The CSP's form-action from DIGEST["service_url"] (docs/subscriptions.md).
    "subscription_policy",
    "checklists",
    # After checklists (and checklists after reading_time): it reads each
    # essay's content, which Pelican memoizes, so the checklists' "On the
    # quick reference" links must be in it by then.
    "essay_outline",
    "pagefind_search",
    # Speed (docs/build-speed.md): each content URL computed once a build,
    # compiled templates kept with the content cache, essays read by one
    # process per CPU on a cold build.
    "frozen_urls",
    "template_cache",
    "parallel_build",
    # Fewer garbage-collection passes during a build (docs/build-speed.md).
    "gc_thresholds",
    # The devserver's edited page, written before the rest of the site; idle
    # in every other build (docs/build-speed.md).
    "edited_first",
]

READING_TIME = {"words_per_minute": 200}

# plugins/features/checklists: see the docs/checklists.md "Checklists" section.
CHECKLISTS = {
    "page_url": "quick-reference/",
    "page_save_as": "quick-reference/index.html",
    "json_save_as": "checklists.json",
}

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "weekly", "pages": "monthly"},
    # Rendered template pages (below), not pages for search engines.
    "exclude": [r"^robots\.txt$", r"^404\.html$"],
}

# Clean URLs: /slug/ rather than /slug.html.
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_SAVE_AS = "authors/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
SERIES_SAVE_AS = "series/index.html"
SERIES_URL = "series/"
DIRECT_TEMPLATES = ["index", "archives", "tags", "categories", "authors", "series"]

# The theme's files for the site root, rendered: _headers (Content-Security-
# Policy and friends, read by Netlify and Cloudflare Pages), because its
# form-action names the subscription service's origin (DIGEST["service_url"]);
# robots.txt, because its Sitemap line needs the absolute SITEURL; 404.html,
# the page static hosts serve for a missing address.
TEMPLATE_PAGES = {
    "_headers": "_headers",
    "robots.txt": "robots.txt",
    "404.html": "404.html",
}

# The course reads oldest first.
NEWEST_FIRST_ARCHIVES = False
DEFAULT_PAGINATION = False

# Feeds are on in development too, so the devserver shows them.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = False
# plugins/features/series_feeds: one Atom and one RSS feed per series.
SERIES_FEEDS = {
    "atom": "feeds/series/{slug}.atom.xml",
    "rss": "feeds/series/{slug}.rss.xml",
}

RELATIVE_URLS = True

# The subscribers' email digest (`python -m digest`, docs/digest.md "Email digest")
# and the subscription service (`make subscriptions`, docs/subscriptions.md).
# Replace the example.org addresses.
DIGEST = {
    "from": "Understanding Customer Service <digest@example.org>",
    "reply_to": "editor@example.org",
    "list_id": "Understanding Customer Service <digest.example.org>",
    # The service's public base URL: the subscribe page's form posts to
    # service_url + "/subscribe", every link it mails starts with it, and the
    # site's Content-Security-Policy allows forms to post to its origin. Here,
    # `make subscriptions` on this machine; publishconf.py sets the public one.
    "service_url": "http://127.0.0.1:8001",
    # The subscribers: a SQLite file, or postgresql://user@host/db.
    "database": "subscribers.db",
    "unsubscribe_mailto": "unsubscribe@example.org",
    "period_days": 31,
    "feed": "output/feeds/all.atom.xml",
    "state": "digest-state.json",
    "outbox": "outbox",
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}

# Development builds are fast to repeat; publishconf.py turns the cache off.
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
# Pelican gzips its cache at level 9 by default: on 1,000 essays that took
# longer than reading the cache saves. A few MB uncompressed, on the local disk.
GZIP_CACHE = False

# `make newpost` writes this as a new essay's Author; left empty, it writes no
# Author line (an author is named only where the text names one).
NEWPOST_AUTHOR = ""
