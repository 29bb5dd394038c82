"""Plain Pelican, for comparison: its default theme and no plugins."""

PATH = "content"
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
SITEURL = "http://127.0.0.1:8000"
FEED_DOMAIN = SITEURL
TIMEZONE = "UTC"
PLUGINS: list[str] = []
