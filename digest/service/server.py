"""`python -m digest serve`: open the database (or stop with one line), then uvicorn."""

from __future__ import annotations

import logging
from pathlib import Path

import uvicorn

from digest.config import DigestSettings
from digest.errors import DigestError
from digest.service.app import create_app
from digest.service.mailer import Mailer, make_transport
from digest.store import Store, redacted_url

logger = logging.getLogger("digest.service")


def serve(
    settings: DigestSettings,
    *,
    host: str,
    port: int,
    database: str,
    smtp: tuple[str, int] | None,
    outbox: Path | None,
    forwarded_allow_ips: str,
) -> int:
    if not settings.service_url:
        raise DigestError(
            "DIGEST['service_url'] is not set: the service's public base URL, "
            "which every link it mails starts with (docs/subscriptions.md)"
        )
    settings.require_secret()
    store = Store(database)  # migrated now: a bad database stops the start
    mailer = Mailer(settings, make_transport(settings, smtp, outbox))
    where = (
        f"SMTP {smtp[0]}:{smtp[1]}"
        if smtp
        else f"the outbox {outbox or settings.outbox}"
    )
    logger.info(
        "subscriptions for %s at http://%s:%d (public: %s), database %s, email via %s",
        settings.list_id,
        host,
        port,
        settings.service_url,
        redacted_url(database),
        where,
    )
    try:
        uvicorn.run(
            create_app(settings, store, mailer),
            host=host,
            port=port,
            # Paths carry tokens: uvicorn's access log would keep them.
            access_log=False,
            log_config=None,
            proxy_headers=True,
            forwarded_allow_ips=forwarded_allow_ips,
            server_header=False,
        )
    finally:
        mailer.close()
        store.close()
    return 0
