"""`python -m digest doctor`: what a real list still needs, one line each.

Reads the settings, the DKIM key, the secret and the built feed; looks
nothing up over the network. The DNS records to publish are printed as
advice, computed from the settings and the key. Exit 1 when something a
real send needs is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import dkim

from digest import config
from digest.config import DigestSettings
from digest.dkim_signing import ADVISED_KEY_BITS, DkimSigner
from digest.errors import DigestError
from digest.feed import public_https, read_feed, refuse_unpublished
from digest.mime import unsubscribe_url

OK, MISSING, ADVICE = "ok", "missing", "advice"
SAMPLE_ADDRESS = "reader@example.org"


@dataclass(frozen=True)
class Finding:
    level: str
    text: str

    def __str__(self) -> str:
        return f"{self.level}: {self.text}"


def _aligned(from_domain: str, signing_domain: str) -> bool:
    """DMARC's relaxed alignment: the same domain, or From under d=."""
    from_domain, signing_domain = from_domain.lower(), signing_domain.lower()
    return from_domain == signing_domain or from_domain.endswith("." + signing_domain)


def _signs_and_verifies(signer: DkimSigner) -> bool:
    """Sign a sample message and check it against the key's own record."""
    message = (
        f"From: {signer.settings.domain} <digest@{signer.settings.domain}>\r\n"
        "Subject: doctor\r\n\r\nA sample body.\r\n"
    ).encode()
    signed = signer.signature(message) + message
    name = f"{signer.settings.record_name}.".encode()
    record = signer.record.encode()
    return bool(
        dkim.verify(signed, dnsfunc=lambda q, timeout=5: record if q == name else None)
    )


def check_dkim(settings: DigestSettings) -> list[Finding]:
    found = []
    if settings.dkim is None:
        return [
            Finding(
                MISSING,
                "DIGEST['dkim'] is not set: Gmail and Yahoo want bulk mail "
                "DKIM-signed, and RFC 8058's one-click unsubscribe needs a "
                "signature over List-Unsubscribe (docs/digest.md, DKIM)",
            )
        ]
    where = settings.dkim
    try:
        signer = DkimSigner(where)
    except DigestError as error:
        return [Finding(MISSING, str(error))]
    if not _aligned(settings.sender.domain, where.domain):
        found.append(
            Finding(
                MISSING,
                f"DIGEST['dkim']['domain'] {where.domain} is not the From domain "
                f"{settings.sender.domain} or a parent of it: DMARC fails",
            )
        )
    if _signs_and_verifies(signer):
        found.append(
            Finding(
                OK,
                f"DKIM: {where.key_file} ({signer.key_size}-bit RSA) signs, and the "
                f"signature verifies as {where.record_name}",
            )
        )
    else:
        found.append(Finding(MISSING, f"DKIM: {where.key_file} signs nothing valid"))
    if signer.key_size < ADVISED_KEY_BITS:
        found.append(
            Finding(
                ADVICE,
                f"DKIM: a {signer.key_size}-bit key; {ADVISED_KEY_BITS} bits is usual",
            )
        )
    found.append(
        Finding(
            ADVICE,
            f'DNS: publish {where.record_name} TXT "{signer.record}" (one '
            "string; a DNS panel that asks for 255-character pieces splits it)",
        )
    )
    return found


def check_tokens(settings: DigestSettings) -> list[Finding]:
    try:
        sample = unsubscribe_url(settings, SAMPLE_ADDRESS)
    except DigestError as error:
        return [Finding(MISSING, str(error))]
    if settings.service_url:
        return [Finding(OK, "unsubscribe links carry a signed token (service_url)")]
    if "{token}" in (settings.unsubscribe_url or "") and settings.token_secret:
        return [Finding(OK, "DIGEST['unsubscribe_url'] carries a signed {token}")]
    return [
        Finding(
            MISSING,
            f"DIGEST['unsubscribe_url'] carries no token ({sample}): anyone can "
            "unsubscribe anyone; set DIGEST['service_url'] (docs/subscriptions.md)",
        )
    ]


def check_bounces(settings: DigestSettings) -> list[Finding]:
    if settings.bounce_address:
        return [
            Finding(OK, f"bounces go to {settings.bounce_address} (envelope sender)")
        ]
    return [
        Finding(
            MISSING,
            "DIGEST['bounce_address'] is not set: bounces go to From "
            f"({settings.sender.addr_spec}); give them a mailbox `python -m "
            "digest bounces` reads",
        )
    ]


def _public_https_finding(what: str, url: str, otherwise: str) -> Finding:
    if public_https(url):
        return Finding(OK, f"{what} is public https")
    return Finding(MISSING, f"{what} is not a public https:// URL: {otherwise}")


def check_public_urls(settings: DigestSettings) -> list[Finding]:
    found = [
        _public_https_finding(
            f"DIGEST['service_url'] {settings.service_url!r}",
            settings.service_url or "",
            "the links in the email must reach the service",
        ),
        _public_https_finding(
            f"SITEURL {settings.site_url!r}",
            settings.site_url,
            "check the production settings (python -m digest --settings "
            "publishconf.py doctor, with SITEURL=https://...)",
        ),
    ]
    feed = settings.feed
    if not re.match(r"https?://", feed) and not Path(feed).is_file():
        feed = str(config.PROJECT / feed)
    try:
        refuse_unpublished(read_feed(feed), feed)
    except DigestError as error:
        found.append(Finding(MISSING, str(error)))
    else:
        found.append(Finding(OK, f"the feed {feed} links to the published site"))
    return found


def dns_advice(settings: DigestSettings) -> list[Finding]:
    envelope = settings.bounce_address or settings.sender.addr_spec
    envelope_domain = envelope.rpartition("@")[2]
    from_domain = settings.sender.domain
    return [
        Finding(
            ADVICE,
            f'DNS: publish {envelope_domain} TXT "v=spf1 include:<your mail '
            "provider's SPF domain> -all\" (or ip4:<your server's address>): "
            f"SPF checks the envelope sender {envelope}",
        ),
        Finding(
            ADVICE,
            f'DNS: publish _dmarc.{from_domain} TXT "v=DMARC1; p=none; '
            f'rua=mailto:dmarc@{from_domain}"; once the reports show DKIM and '
            "SPF passing, p=quarantine",
        ),
    ]


def diagnose(settings: DigestSettings) -> list[Finding]:
    return [
        *check_dkim(settings),
        *check_tokens(settings),
        *check_bounces(settings),
        *check_public_urls(settings),
        *dns_advice(settings),
    ]


def run(settings: DigestSettings) -> int:
    findings = diagnose(settings)
    for finding in findings:
        print(finding)
    missing = sum(f.level == MISSING for f in findings)
    print(
        f"{missing} thing(s) missing for a real send"
        if missing
        else "nothing missing for a real send"
    )
    return 1 if missing else 0
