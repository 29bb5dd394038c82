"""The ASGI app: routes, pages and the rules each route keeps.

- A GET never changes anything (mail scanners fetch every link): the
  confirm, unsubscribe and privacy links show a page with one button, whose
  POST acts. The one-click unsubscribe (RFC 8058) is that POST, answered
  200 with a page, never a redirect.
- The sign-up answer is the same whether the address is new, pending or
  subscribed, and the confirmation email leaves after the answer, so neither
  the page nor its timing tells whether an address is on the list.
- Bots: a honeypot field, a per-client limit (in this process) and a
  per-address limit (in the database, shared by every instance).
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from urllib.parse import parse_qsl

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from digest.config import PROJECT, DigestSettings
from digest.privacy import masked
from digest.service.mailer import Mailer, list_title
from digest.store import ERASED, Store, StoreError
from digest.subscribers import is_valid_address
from digest.tokens import (
    CONFIRM,
    PRIVACY,
    UNSUBSCRIBE,
    BadToken,
    ExpiredToken,
    Signer,
)

logger = logging.getLogger("digest.service")

PAGES = PROJECT / "theme" / "service"
STATIC = PROJECT / "theme" / "static"
MAX_BODY_BYTES = 8192
CLIENT_WINDOW_SECONDS = 3600
PRIVACY_LINK_SECONDS = 24 * 3600

# The service's own pages: its stylesheet and forms, nothing else; tokens are
# in the URLs, so no Referer leaves with them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}


class ClientLimiter:
    """At most `limit` requests per client in a sliding window, in memory."""

    def __init__(self, limit: int, window: float = CLIENT_WINDOW_SECONDS):
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        seen = self._seen[client]
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        if len(self._seen) > 100_000:  # a flood of addresses: forget the idle
            for key in [k for k, v in self._seen.items() if not v]:
                del self._seen[key]
        return True


@dataclass
class Service:
    settings: DigestSettings
    store: Store
    mailer: Mailer
    signer: Signer
    pages: Environment
    clients: ClientLimiter

    def page(self, template: str, status: int = 200, **values) -> HTMLResponse:
        html = self.pages.get_template(template).render(
            site_name=list_title(self.settings),
            site_url=self.settings.site_url,
            service_url=self.settings.service_url,
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def message(
        self, heading: str, *paragraphs: str, status: int = 200, role: str = ""
    ) -> HTMLResponse:
        return self.page(
            "message.html", status, heading=heading, paragraphs=paragraphs, role=role
        )

    def bad_link(self, error: BadToken, what: str) -> HTMLResponse:
        if isinstance(error, ExpiredToken):
            return self.message(
                "This link has expired",
                f"The {what} link you followed is too old. Nothing was changed.",
                "Sign up again to get a fresh one.",
                status=410,
            )
        return self.message(
            "This link is not valid",
            f"The {what} link you followed is incomplete or was altered. "
            "Nothing was changed.",
            "Copy the whole link from the email, or use the newest email's link.",
            status=400,
        )


async def _form(request: Request) -> dict[str, str] | None:
    """The urlencoded body, at most MAX_BODY_BYTES; None when larger."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        # RFC 8058 allows a one-click POST as multipart; that one field is
        # all the service reads from such a body (its own forms are urlencoded).
        one_click = b'name="List-Unsubscribe"' in body and b"One-Click" in body
        return {"List-Unsubscribe": "One-Click"} if one_click else {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _client(request: Request) -> str:
    # Behind a proxy, uvicorn's --proxy-headers sets this from X-Forwarded-For.
    return request.client.host if request.client else "unknown"


def create_app(settings: DigestSettings, store: Store, mailer: Mailer) -> Starlette:
    signer = Signer(settings.require_secret(), settings.list_id)
    pages = Environment(
        loader=FileSystemLoader(str(PAGES)), autoescape=select_autoescape(["html"])
    )
    service = Service(
        settings,
        store,
        mailer,
        signer,
        pages,
        ClientLimiter(max(1, settings.signups_per_client)),
    )
    base = settings.service_url

    async def home(request: Request) -> Response:
        return service.page("subscribe.html", heading="Subscribe", email="", error="")

    async def subscribe(request: Request) -> Response:
        form = await _form(request)
        if form is None:
            return service.message(
                "Too much data", "That form was too large.", status=413
            )
        email = form.get("email", "").strip()
        if form.get("website"):
            # The honeypot: a person never sees the field. The same answer
            # as for a person, so the bot learns nothing; nothing stored.
            logger.info("sign-up dropped: honeypot filled")
            return _check_inbox(service, email)
        if not is_valid_address(email):
            return service.page(
                "subscribe.html",
                400,
                heading="Subscribe",
                email=email,
                error="That does not look like an email address "
                "(name@example.org). Nothing was saved.",
            )
        if not service.clients.allow(_client(request)):
            return service.message(
                "Too many sign-ups",
                "Too many sign-ups came from your network in the last hour. "
                "Try again later.",
                status=429,
            )
        outcome = await run_in_threadpool(
            store.request_signup, email, limit=max(1, settings.signups_per_address)
        )
        task = None
        if outcome.nonce:
            token = signer.sign(
                CONFIRM, email, outcome.nonce, lifetime=settings.confirm_hours * 3600
            )
            task = BackgroundTask(
                mailer.send_confirmation, email, f"{base}/confirm/{token}"
            )
        else:
            logger.info(
                "sign-up of %s: no email due (%s)", masked(email), outcome.status
            )
        response = _check_inbox(service, email)
        response.background = task
        return response

    def signed(purpose: str, count: int, what: str):
        """The route's {token} verified: the handler gets its fields, or the
        reader a page saying the link is bad or expired (nothing changes)."""

        def decorate(handler):
            async def route(request: Request) -> Response:
                token = request.path_params["token"]
                try:
                    fields = signer.verify(purpose, token, count)
                except BadToken as error:
                    return service.bad_link(error, what)
                return await handler(request, token, *fields)

            return route

        return decorate

    @signed(CONFIRM, 2, "confirmation")
    async def confirm_page(request: Request, token: str, email: str, _: str):
        return service.page(
            "action.html",
            heading="Confirm your subscription",
            paragraphs=[f"Confirm that {email} should receive the digest."],
            action=f"{base}/confirm/{token}",
            fields=[],
            button="Confirm my subscription",
        )

    @signed(CONFIRM, 2, "confirmation")
    async def confirm(request: Request, token: str, email: str, nonce: str):
        outcome = await run_in_threadpool(
            store.confirm, email, nonce, detail="the button on the confirmation page"
        )
        if outcome == "stale":
            return service.message(
                "This link is no longer valid",
                "A newer confirmation link was sent to this address, or the "
                "subscription ended after this one was sent. Nothing was changed.",
                "Sign up again to get a fresh link.",
                status=410,
            )
        if outcome == "confirmed":
            logger.info("subscription confirmed: %s", masked(email))
        return service.message(
            "You are subscribed",
            f"{email} will receive the next digest.",
            "Every digest has an unsubscribe link at the bottom.",
            role="status",
        )

    @signed(UNSUBSCRIBE, 1, "unsubscribe")
    async def unsubscribe_page(request: Request, token: str, email: str):
        return service.page(
            "action.html",
            heading="Unsubscribe",
            paragraphs=[f"Stop sending the digest to {email}?"],
            action=f"{base}/unsubscribe/{token}",
            fields=[("List-Unsubscribe", "One-Click"), ("via", "page")],
            button="Unsubscribe",
        )

    @signed(UNSUBSCRIBE, 1, "unsubscribe")
    async def unsubscribe(request: Request, token: str, email: str):
        form = await _form(request) or {}
        if form.get("via") == "page":
            how = "the button on the unsubscribe page"
        elif form.get("List-Unsubscribe") == "One-Click":
            how = "one-click (List-Unsubscribe-Post, RFC 8058)"
        else:
            how = "a POST to the unsubscribe link"
        changed = await run_in_threadpool(store.unsubscribe, email, how)
        if changed:
            logger.info("unsubscribed: %s (%s)", masked(email), how)
        # 200 with a page, no redirect (RFC 8058), whatever the status was.
        return service.message(
            "You are unsubscribed",
            f"No more digests will be sent to {email}.",
            "Changed your mind? Sign up again on the subscribe page.",
            role="status",
        )

    async def privacy_page(request: Request) -> Response:
        return service.page("privacy.html", heading="Your data", token="", error="")

    async def privacy_request(request: Request) -> Response:
        form = await _form(request) or {}
        email = form.get("email", "").strip()
        if not is_valid_address(email):
            return service.page(
                "privacy.html",
                400,
                heading="Your data",
                token="",
                error="That does not look like an email address.",
            )
        if not service.clients.allow(_client(request)):
            return service.message("Too many requests", "Try again later.", status=429)
        row = await run_in_threadpool(store.get, email)
        response = service.message(
            "Check your inbox",
            f"If {email} is on the list, a link to its data is on its way. "
            "It works for 24 hours.",
            role="status",
        )
        if row is not None and row["status"] != ERASED:
            token = signer.sign(PRIVACY, email, lifetime=PRIVACY_LINK_SECONDS)
            response.background = BackgroundTask(
                mailer.send_privacy_link, email, f"{base}/privacy/{token}"
            )
        return response

    @signed(PRIVACY, 1, "privacy")
    async def privacy_link(request: Request, token: str, email: str):
        return service.page(
            "privacy.html",
            heading="Your data",
            token=token,
            email=email,
            error="",
        )

    @signed(PRIVACY, 1, "privacy")
    async def privacy_export(request: Request, token: str, email: str):
        row = await run_in_threadpool(store.get, email)
        history = await run_in_threadpool(store.history, email)
        data = {
            "subscriber": {k: row[k] for k in Store.EXPORT_COLUMNS} if row else None,
            "history": history,
        }
        return Response(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n",
            media_type="application/json",
            headers={
                **SECURITY_HEADERS,
                "Content-Disposition": 'attachment; filename="my-subscription.json"',
            },
        )

    @signed(PRIVACY, 1, "privacy")
    async def privacy_erase(request: Request, token: str, email: str):
        if await run_in_threadpool(store.erase, email):
            logger.info("erased at the subscriber's request: %s", masked(email))
        return service.message(
            "Your data is erased",
            f"{email} is no longer on the list, and its address and name are gone.",
            role="status",
        )

    async def health(request: Request) -> Response:
        try:
            await run_in_threadpool(store.schema_version)
        except StoreError as error:
            return PlainTextResponse(f"database: {error}\n", status_code=503)
        return PlainTextResponse("ok\n", headers={"Cache-Control": "no-store"})

    routes = [
        Route("/", home),
        Route("/subscribe", home, methods=["GET"]),
        Route("/subscribe", subscribe, methods=["POST"]),
        Route("/confirm/{token}", confirm_page, methods=["GET"]),
        Route("/confirm/{token}", confirm, methods=["POST"]),
        Route("/unsubscribe/{token}", unsubscribe_page, methods=["GET"]),
        Route("/unsubscribe/{token}", unsubscribe, methods=["POST"]),
        Route("/privacy", privacy_page, methods=["GET"]),
        Route("/privacy", privacy_request, methods=["POST"]),
        Route("/privacy/{token}", privacy_link, methods=["GET"]),
        Route("/privacy/{token}/export", privacy_export, methods=["POST"]),
        Route("/privacy/{token}/erase", privacy_erase, methods=["POST"]),
        Route("/health", health),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    return Starlette(routes=routes)


def _check_inbox(service: Service, email: str) -> HTMLResponse:
    return service.message(
        "Check your inbox",
        f"If {email} is not subscribed yet, a confirmation email is on its way. "
        "Follow its link to start receiving the digest.",
        f"The link works for {service.settings.confirm_hours:g} hours. Nothing "
        "is sent until you confirm.",
        role="status",
    )
