"""Pelican settings for development (`make html`, `make devserver`).

Production overrides live in publishconf.py, which imports this file.
"""

SITENAME = "Understanding Customer Service"
SITESUBTITLE = "A monthly course in customer-service essays"
# The devserver address: feeds need an absolute domain even in development;
# pages use relative URLs (RELATIVE_URLS below), so any host can serve them.
SITEURL = "http://127.0.0.1:8000"
SITE_LANGUAGE = "en"
DEFAULT_LANG = "en"
TIMEZONE = "UTC"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

PATH = "content"
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
OUTPUT_PATH = "output"

THEME = "theme"

# Always explicit: left unset, Pelican loads every installed namespace plugin,
# and a stray one (pelican-search, say) can break the build.
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "safe_output",
    "pelican.plugins.series",
    "pelican.plugins.sitemap",
    "checklists",
    "pagefind_search",
]

# plugins/checklists: see the README's "Checklists" section.
CHECKLISTS = {
    "page_url": "quick-reference/",
    "page_save_as": "quick-reference/index.html",
    "json_save_as": "checklists.json",
}

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "weekly", "pages": "monthly"},
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
DIRECT_TEMPLATES = ["index", "archives", "tags", "categories", "authors"]

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

RELATIVE_URLS = True

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
