"""The subscribe form's target, and the Content-Security-Policy that allows it.

The site's policy lets forms post only to the site itself ('self') and to
the one origin its sign-up form posts to: the subscription service's, from
DIGEST["service_url"] (or a provider's, from DIGEST["subscribe_form_action"]).
A fixed `form-action 'self'` would block the form; a wider one (https:)
would let an injected form post anywhere. Templates get:

- SUBSCRIBE_ACTION: the form's URL (service_url + "/subscribe"), or "";
- CONTENT_SECURITY_POLICY: the policy, for _headers (and docs/theme.md's nginx
  line, which tests/test_subscriptions_policy.py checks against it).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pelican import signals

from digest.config import DEFAULTS as DIGEST_KEYS
from plugins.machinery import plugin_settings
from plugins.machinery.plugin_settings import Kind, Option, SettingsDict

# Everything comes from the site itself. The theme has no inline script
# (JSON-LD is data, not script), no <style> and no style="".
# 'wasm-unsafe-eval' lets Pagefind's search compile its WebAssembly.
BASE_POLICY = [
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
]


def _form_target(value: object) -> bool:
    """An address a form can post to and a policy can name, or none at all."""
    if value is None or value == "":
        return True
    if not isinstance(value, str) or any(c in value for c in " ;,'\"\r\n"):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("https", "http") and bool(parts.hostname)


FORM_TARGET = Kind(
    "an https:// address with no space, quote, comma or semicolon, or None",
    _form_target,
)
# The keys this plugin reads; `python -m digest` checks the rest of DIGEST.
DIGEST = SettingsDict(
    "DIGEST",
    {
        "service_url": Option(None, FORM_TARGET),
        "subscribe_form_action": Option(None, FORM_TARGET),
    },
    also_known=tuple(DIGEST_KEYS),
)
# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (DIGEST,)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def subscribe_action(settings: dict) -> tuple[str, str]:
    """(the form's URL, its origin); ("", "") when the page has no form."""
    digest = settings.get("DIGEST") or {}
    if digest.get("service_url"):
        url = str(digest["service_url"]).rstrip("/") + "/subscribe"
        return url, _origin(url)
    if digest.get("subscribe_form_action"):
        url = str(digest["subscribe_form_action"])
        return url, _origin(url)
    return "", ""


def content_security_policy(form_origin: str) -> str:
    directives = []
    for name, value in BASE_POLICY:
        if name == "form-action" and form_origin:
            value = f"{value} {form_origin}"
        directives.append(f"{name} {value}")
    return "; ".join(directives)


def add_policy(generator) -> None:
    action, origin = subscribe_action(generator.settings)
    generator.context["SUBSCRIBE_ACTION"] = action
    generator.context["CONTENT_SECURITY_POLICY"] = content_security_policy(origin)


def register() -> None:
    plugin_settings.register()
    signals.generator_init.connect(add_policy)
