"""The digest's settings: the DIGEST dict in pelicanconf.py, validated once."""

from __future__ import annotations

import os
import re
import runpy
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path

from digest.errors import DigestError

PROJECT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, object] = {
    "from": None,  # required: "Name <digest@example.org>"
    "reply_to": None,  # defaults to "from"
    "list_id": None,  # required: "Name <digest.example.org>" (RFC 2919)
    "unsubscribe_url": None,  # required: https URL with {email}, maybe {token}
    "unsubscribe_mailto": None,  # required: an address
    "title": None,  # the subject's name; defaults to the feed's title
    "period_days": 31,
    "max_html_bytes": 100_000,
    "feed": "output/feeds/all.atom.xml",
    "subscribers": "subscribers.csv",
    "state": "digest-state.json",
    "outbox": "outbox",
    "templates": "theme/email",
    "smtp_retries": 3,
    "smtp_retry_delay": 2.0,
    "bounce_address": None,  # the envelope sender (Return-Path); default: from
    "subscribe_form_action": None,  # used by the site's subscribe page only
    "subscribe_form_field": "email",  # ditto
    "subscribe_mailto": None,  # ditto
}

TOKEN_SECRET_ENV = "DIGEST_UNSUBSCRIBE_SECRET"


@dataclass(frozen=True)
class DigestSettings:
    sender: Address
    reply_to: Address
    list_id: str
    unsubscribe_url: str
    unsubscribe_mailto: str
    title: str | None
    period_days: int
    max_html_bytes: int
    feed: str
    subscribers: Path
    state: Path
    outbox: Path
    templates: Path
    smtp_retries: int
    smtp_retry_delay: float
    token_secret: bytes | None = field(default=None, repr=False)
    bounce_address: str | None = None


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
    url = values["unsubscribe_url"]
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
    secret = os.environ.get(TOKEN_SECRET_ENV)
    if "{token}" in url and not secret:
        raise DigestError(
            f"{origin}: DIGEST['unsubscribe_url'] uses {{token}}: set the "
            f"environment variable {TOKEN_SECRET_ENV} to the secret your "
            "unsubscribe endpoint checks"
        )
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
        unsubscribe_url=url,
        unsubscribe_mailto=mailto.addr_spec,
        title=title,
        period_days=int(_positive(values["period_days"], "period_days", origin, int)),
        max_html_bytes=int(
            _positive(values["max_html_bytes"], "max_html_bytes", origin, int)
        ),
        feed=str(values["feed"]),
        subscribers=_path(values["subscribers"], "subscribers", origin),
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
        bounce_address=(
            _address(values["bounce_address"], "bounce_address", origin).addr_spec
            if values["bounce_address"] is not None
            else None
        ),
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
        raise DigestError(f"{settings_file}: no DIGEST dict (see README, Email digest)")
    return validate(namespace["DIGEST"], str(settings_file))
