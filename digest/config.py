"""The digest's settings: the DIGEST dict in pelicanconf.py, validated once."""

from __future__ import annotations

import os
import re
import runpy
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

from digest.errors import DigestError

PROJECT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "from": None,  # required: "Name <digest@example.org>"
    "reply_to": None,  # defaults to "from"
    "list_id": None,  # required: "Name <digest.example.org>" (RFC 2919)
    "service_url": None,  # the subscription service's public base URL
    "database": "subscribers.db",  # a path (SQLite) or postgresql://...
    "unsubscribe_url": None,  # the old way: your own endpoint's URL template
    "unsubscribe_mailto": None,  # required: an address
    "title": None,  # the subject's name; defaults to the feed's title
    "period_days": 31,
    "max_html_bytes": 100_000,
    "feed": "output/feeds/all.atom.xml",
    "subscribers": None,  # no longer read: see _check_subscribers_key
    "state": "digest-state.json",
    "outbox": "outbox",
    "templates": "theme/email",
    "smtp_retries": 3,
    "smtp_retry_delay": 2.0,
    "confirm_hours": 48,  # a confirmation link's lifetime
    "bounce_limit": 2,  # permanent failures before an address is "bounced"
    "signups_per_address": 3,  # confirmation emails per address per day
    "signups_per_client": 20,  # sign-up posts per client (IP) per hour
    "bounce_address": None,  # the envelope sender (Return-Path); default: from
    "dkim": None,  # {"selector": ..., "key_file": ..., "domain": from's domain}
    "subscribe_form_action": None,  # used by the site's subscribe page only
    "subscribe_form_field": "email",  # ditto
    "subscribe_mailto": None,  # ditto
}

# The key of every signed link (confirm, unsubscribe, privacy). The old name,
# from when only {token} in unsubscribe_url used it, is still read.
TOKEN_SECRET_ENV = "DIGEST_SECRET"
OLD_TOKEN_SECRET_ENV = "DIGEST_UNSUBSCRIBE_SECRET"
MIN_SECRET_BYTES = 16


@dataclass(frozen=True)
class DkimSettings:
    """Where the DKIM key is and the DNS name its public half is published at."""

    selector: str
    domain: str
    key_file: Path

    @property
    def record_name(self) -> str:
        return f"{self.selector}._domainkey.{self.domain}"


DKIM_KEYS = ("selector", "domain", "key_file")
# RFC 6376 3.1: a selector is dot-separated DNS labels.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_SELECTOR = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


@dataclass(frozen=True)
class DigestSettings:
    sender: Address
    reply_to: Address
    list_id: str
    unsubscribe_url: str | None  # the old template; None with service_url
    unsubscribe_mailto: str
    title: str | None
    period_days: int
    max_html_bytes: int
    feed: str
    state: Path
    outbox: Path
    templates: Path
    smtp_retries: int
    smtp_retry_delay: float
    token_secret: bytes | None = field(default=None, repr=False)
    service_url: str | None = None
    database: str = "subscribers.db"
    confirm_hours: float = 48
    bounce_limit: int = 2
    signups_per_address: int = 3  # confirmation emails per address per day
    signups_per_client: int = 20  # sign-up posts per client per hour
    site_name: str = ""  # SITENAME and SITEURL, for the service's pages
    site_url: str = ""

    def require_secret(self) -> bytes:
        if not self.token_secret:
            raise DigestError(
                f"set the environment variable {TOKEN_SECRET_ENV} to a long random "
                "secret (e.g. python -c 'import secrets; print(secrets."
                "token_urlsafe(32))'): it signs the confirm and unsubscribe links"
            )
        return self.token_secret

    bounce_address: str | None = None
    dkim: DkimSettings | None = None


def _address(value: object, key: str, origin: str) -> Address:
    if not isinstance(value, str) or not value.strip():
        raise DigestError(f"{origin}: DIGEST[{key!r}] is required (an email address)")
    if value != value.strip() or any(c in value for c in "\r\n"):
        raise DigestError(f"{origin}: DIGEST[{key!r}] must be one line: {value!r}")
    parsed = getaddresses([value])
    if len(parsed) != 1 or "@" not in parsed[0][1]:
        raise DigestError(f"{origin}: DIGEST[{key!r}] is not an address: {value!r}")
    name, addr = parsed[0]
    username, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=username, domain=domain)


def _path(value: object, key: str, origin: str) -> Path:
    if not isinstance(value, str | os.PathLike) or not str(value):
        raise DigestError(f"{origin}: DIGEST[{key!r}] must be a path")
    path = Path(value)
    return path if path.is_absolute() else PROJECT / path


def _positive(value: object, key: str, origin: str, kind: type) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise DigestError(f"{origin}: DIGEST[{key!r}] must be a number >= 0")
    return kind(value)


def validate(raw: dict, origin: str) -> DigestSettings:
    """Settings from the DIGEST dict; a wrong key or value names itself."""
    if not isinstance(raw, dict):
        raise DigestError(f"{origin}: DIGEST must be a dict")
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise DigestError(
            f"{origin}: DIGEST has unknown key(s) {unknown}; known: {sorted(DEFAULTS)}"
        )
    values = {**DEFAULTS, **raw}
    sender = _address(values["from"], "from", origin)
    reply_to = _address(values["reply_to"] or values["from"], "reply_to", origin)
    list_id = values["list_id"]
    if not isinstance(list_id, str) or not re.fullmatch(
        r"[^\r\n<>]*<[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9.-]+>", list_id.strip()
    ):
        raise DigestError(
            f"{origin}: DIGEST['list_id'] must look like "
            f"'Name <list.example.org>' (RFC 2919), got {list_id!r}"
        )
    if values["subscribers"] is not None:
        raise DigestError(
            f"{origin}: DIGEST['subscribers'] is no longer read: subscribers live "
            "in DIGEST['database'] (move a CSV in with `python -m digest "
            "subscribers import FILE.csv`; `send --subscribers FILE.csv` sends "
            "to a one-off list)"
        )
    service_url = _service_url(values["service_url"], origin)
    url = values["unsubscribe_url"]
    secret = os.environ.get(TOKEN_SECRET_ENV) or os.environ.get(OLD_TOKEN_SECRET_ENV)
    if secret and len(secret.encode()) < MIN_SECRET_BYTES:
        raise DigestError(
            f"{TOKEN_SECRET_ENV}: the secret must be at least {MIN_SECRET_BYTES} "
            "characters (a random one of 32 or more is best)"
        )
    if service_url and url is not None:
        raise DigestError(
            f"{origin}: DIGEST has both 'service_url' and 'unsubscribe_url': "
            "remove 'unsubscribe_url' (the links go to service_url + "
            "'/unsubscribe/TOKEN')"
        )
    if not service_url:
        _check_unsubscribe_template(url, secret, origin)
    database = values["database"]
    if not isinstance(database, str | os.PathLike) or not str(database):
        raise DigestError(f"{origin}: DIGEST['database'] must be a path or a URL")
    mailto = _address(values["unsubscribe_mailto"], "unsubscribe_mailto", origin)
    if not mailto.addr_spec.isascii():
        raise DigestError(
            f"{origin}: DIGEST['unsubscribe_mailto'] must be an ASCII address "
            "(it goes into List-Unsubscribe as it is)"
        )
    title = values["title"]
    if title is not None and not isinstance(title, str):
        raise DigestError(f"{origin}: DIGEST['title'] must be a string")
    return DigestSettings(
        sender=sender,
        reply_to=reply_to,
        list_id=list_id.strip(),
        unsubscribe_url=None if service_url else url,
        unsubscribe_mailto=mailto.addr_spec,
        title=title,
        period_days=int(_positive(values["period_days"], "period_days", origin, int)),
        max_html_bytes=int(
            _positive(values["max_html_bytes"], "max_html_bytes", origin, int)
        ),
        feed=str(values["feed"]),
        state=_path(values["state"], "state", origin),
        outbox=_path(values["outbox"], "outbox", origin),
        templates=_path(values["templates"], "templates", origin),
        smtp_retries=int(
            _positive(values["smtp_retries"], "smtp_retries", origin, int)
        ),
        smtp_retry_delay=float(
            _positive(values["smtp_retry_delay"], "smtp_retry_delay", origin, float)
        ),
        token_secret=secret.encode() if secret else None,
        service_url=service_url,
        database=_database(str(database)),
        confirm_hours=float(
            _positive(values["confirm_hours"], "confirm_hours", origin, float)
        ),
        bounce_limit=max(
            1, int(_positive(values["bounce_limit"], "bounce_limit", origin, int))
        ),
        signups_per_address=int(
            _positive(values["signups_per_address"], "signups_per_address", origin, int)
        ),
        signups_per_client=int(
            _positive(values["signups_per_client"], "signups_per_client", origin, int)
        ),
        bounce_address=(
            _address(values["bounce_address"], "bounce_address", origin).addr_spec
            if values["bounce_address"] is not None
            else None
        ),
        dkim=_dkim(values["dkim"], sender, origin),
    )


def _dkim(value: object, sender: Address, origin: str) -> DkimSettings | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DigestError(
            f"{origin}: DIGEST['dkim'] must be a dict like {{'selector': "
            "'digest2026', 'key_file': 'dkim/digest.pem'}"
        )
    unknown = sorted(set(value) - set(DKIM_KEYS))
    if unknown:
        raise DigestError(
            f"{origin}: DIGEST['dkim'] has unknown key(s) {unknown}; "
            f"known: {list(DKIM_KEYS)}"
        )
    selector = value.get("selector")
    if not isinstance(selector, str) or not _SELECTOR.fullmatch(selector):
        raise DigestError(
            f"{origin}: DIGEST['dkim']['selector'] must be a DNS label such as "
            f"'digest2026', got {selector!r}"
        )
    domain = value.get("domain", sender.domain)
    if not isinstance(domain, str) or not _DOMAIN.fullmatch(domain):
        raise DigestError(
            f"{origin}: DIGEST['dkim']['domain'] must be an ASCII domain name "
            f"such as 'essays.example.org', got {domain!r}"
        )
    return DkimSettings(
        selector=selector,
        domain=domain.lower(),
        key_file=_path(value.get("key_file"), "dkim']['key_file", origin),
    )


def _service_url(value: object, origin: str) -> str | None:
    """https://host[/path], or plain http on this machine (development)."""
    if value is None:
        return None
    parts = urlsplit(value) if isinstance(value, str) else None
    local = parts is not None and parts.hostname in ("127.0.0.1", "localhost", "::1")
    if (
        parts is None
        or not parts.hostname
        or parts.query
        or parts.fragment
        or not (parts.scheme == "https" or (parts.scheme == "http" and local))
        or any(c in value for c in "\r\n <>\"'")
        or not value.isascii()  # it goes into List-Unsubscribe as it is
    ):
        raise DigestError(
            f"{origin}: DIGEST['service_url'] must be the service's public "
            f"https:// base URL, e.g. 'https://essays.example.org/subscriptions' "
            f"(http only on 127.0.0.1), got {value!r}"
        )
    return value.rstrip("/")


def service_origin(service_url: str) -> str:
    """scheme://host[:port] of the service: what the site's CSP must allow."""
    parts = urlsplit(service_url)
    return f"{parts.scheme}://{parts.netloc}"


def _database(value: str) -> str:
    if "://" in value:
        return value
    path = Path(value)
    return str(path if path.is_absolute() else PROJECT / path)


def _check_unsubscribe_template(url: object, secret: str | None, origin: str) -> None:
    if url is None:
        raise DigestError(
            f"{origin}: DIGEST['service_url'] is required: the subscription "
            "service's public URL (docs/subscriptions.md, Subscriptions)"
        )
    if (
        not isinstance(url, str)
        or not url.startswith("https://")
        or "{email}" not in (url)
    ):
        raise DigestError(
            f"{origin}: DIGEST['unsubscribe_url'] must be an https:// URL "
            f"containing {{email}} (and optionally {{token}}), got {url!r}"
        )
    if any(c in url for c in "\r\n <>") or not url.isascii():
        raise DigestError(
            f"{origin}: DIGEST['unsubscribe_url'] must be plain ASCII with no "
            "space or <> (List-Unsubscribe carries it as it is; percent-encode "
            "other characters)"
        )
    if "{token}" in url and not secret:
        raise DigestError(
            f"{origin}: DIGEST['unsubscribe_url'] uses {{token}}: set the "
            f"environment variable {TOKEN_SECRET_ENV} to the secret your "
            "unsubscribe endpoint checks"
        )


def load(settings_file: Path) -> DigestSettings:
    """Read DIGEST from a Pelican settings file (pelicanconf.py by default)."""
    if not settings_file.is_file():
        raise DigestError(f"{settings_file}: no such settings file")
    # publishconf.py imports pelicanconf from the current folder.
    cwd = Path.cwd()
    os.chdir(settings_file.resolve().parent)
    try:
        namespace = runpy.run_path(str(settings_file))
    except SystemExit as stop:
        raise DigestError(f"{settings_file}: {stop}") from None
    finally:
        os.chdir(cwd)
    if "DIGEST" not in namespace:
        raise DigestError(
            f"{settings_file}: no DIGEST dict (see docs/digest.md, Email digest)"
        )
    settings = validate(namespace["DIGEST"], str(settings_file))
    return replace(
        settings,
        site_name=str(namespace.get("SITENAME", "")),
        site_url=str(namespace.get("SITEURL", "")).rstrip("/"),
    )
