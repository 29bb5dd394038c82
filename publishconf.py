"""Production settings (`make publish`): absolute URLs from $SITEURL."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL:
    sys.exit(
        "publishconf.py: SITEURL is not set. "
        "Run e.g. SITEURL=https://example.org make publish"
    )
if not SITEURL.startswith(("https://", "http://")):
    sys.exit(f"publishconf.py: SITEURL must start with https:// (got {SITEURL!r})")

RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

# A fresh output folder for every publish. plugins/workarounds/safe_output refuses, with
# an error, an output folder that is or holds the content or the project.
DELETE_OUTPUT_DIRECTORY = True

LOAD_CONTENT_CACHE = False

# Scheduling: an essay dated in the future is a draft until its date ...
WITH_FUTURE_DATES = False
# ... and drafts are not written at all: nothing unpublished reaches the host.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

# The subscription service's public URL: $SERVICE_URL, or by default behind
# the same host name at /subscriptions (docs/subscriptions.md: nginx, Caddy).
DIGEST = {
    **DIGEST,
    "service_url": os.environ.get("SERVICE_URL", f"{SITEURL}/subscriptions").rstrip(
        "/"
    ),
}
