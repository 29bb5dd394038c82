"""A reader subscribes in Chromium, under the Content-Security-Policy the site
ships: the built site served with its `_headers`, the form posting to the
subscription service (uvicorn on 127.0.0.1), the confirmation email caught by
aiosmtpd and its link followed in the browser; then the digest goes out, a
one-click POST unsubscribes, and the next digest does not reach them. On
SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import wait_for_csp_violation
from tests.digest_support import Recorder, free_port, smtp_server
from tests.headers_server import serve_with_headers
from tests.sitebuild import build
from tests.subscriptions_support import (
    LATER,
    NOVEMBER,
    http,
    link_in,
    running_service,
    send_digest,
    service_digest,
    status_of,
    wait_for_messages,
)

READER = "reader.one@example.org"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def service_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def built_site(tmp_path_factory, service_port) -> Path:
    """The site built for a service at http://127.0.0.1:PORT."""
    digest = {
        "from": "Understanding Customer Service <digest@example.org>",
        "list_id": "Understanding Customer Service <digest.example.org>",
        "service_url": f"http://127.0.0.1:{service_port}",
        "unsubscribe_mailto": "unsubscribe@example.org",
    }
    output = tmp_path_factory.mktemp("subscribe-site") / "output"
    return build(output, extra=["-e", f"DIGEST={json.dumps(digest)}"])


@pytest.fixture
def site_with_headers(built_site) -> Iterator[str]:
    with serve_with_headers(built_site) as url:
        yield url


def test_a_reader_subscribes_in_chromium_and_leaves_with_one_click(
    browser, built_site, site_with_headers, service_port, database_url, tmp_path
):
    policy = (built_site / "_headers").read_text()
    assert f"form-action 'self' http://127.0.0.1:{service_port};" in policy
    handler = Recorder()
    with (
        smtp_server(handler) as server,
        running_service(
            tmp_path,
            service_digest(),
            database=database_url,
            smtp=server,
            site_url=site_with_headers,
            port=service_port,
        ) as service,
    ):
        context = browser.new_context()
        page = context.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else 0)
        response = page.goto(f"{site_with_headers}/subscribe/")
        assert "form-action" in response.headers["content-security-policy"]
        page.get_by_label("Your email address").fill(READER)
        page.get_by_role("button", name="Subscribe to the digest").click()
        page.wait_for_url(f"{service.url}/subscribe")
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
        # The service's page has the site's look: the site's stylesheet,
        # allowed by the service's own policy.
        assert page.evaluate("document.styleSheets[0].cssRules.length") > 10
        assert (
            page.locator("header.site-header .site-title a").get_attribute("href")
            == f"{site_with_headers}/"
        )

        wait_for_messages(handler, 1)
        link = link_in(handler.parsed()[0], f"{service.url}/confirm/")
        page.goto(link)
        assert status_of(database_url, READER) == "pending"  # the GET changed nothing
        page.get_by_role("button", name="Confirm my subscription").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
        assert status_of(database_url, READER) == "subscribed"
        assert errors == [] and page.evaluate("window.__cspViolations") == []

        settings_file = tmp_path / "digestconf.py"
        sent = send_digest(settings_file, database_url, tmp_path, server, [NOVEMBER])
        assert sent.returncode == 0, sent.stderr
        wait_for_messages(handler, 2)
        digest = handler.parsed()[1]
        assert digest["To"].addresses[0].addr_spec == READER
        unsubscribe = digest["List-Unsubscribe"].split(",")[0].strip().strip("<>")

        page.goto(unsubscribe)  # a reader (or a scanner) opening the link
        expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
        assert status_of(database_url, READER) == "subscribed"

        one_click = http("POST", unsubscribe, {"List-Unsubscribe": "One-Click"})
        assert one_click.status == 200 and "location" not in one_click.headers
        assert status_of(database_url, READER) == "unsubscribed"

        again = send_digest(
            settings_file, database_url, tmp_path, server, [NOVEMBER, LATER]
        )
        assert again.returncode == 0, again.stderr
        assert len(handler.messages) == 2  # the later essay reached nobody
        context.close()


def test_the_shipped_policy_blocks_a_form_posting_anywhere_else(
    browser, site_with_headers
):
    """The check above can fail: the same page, its form pointed elsewhere."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{site_with_headers}/subscribe/")
    page.evaluate(
        "document.querySelector('form.subscribe-form').action = "
        "'http://127.0.0.2:9/subscribe'"
    )
    page.get_by_label("Your email address").fill(READER)
    # Submitted from script: a click would wait for a navigation that the
    # policy stops.
    page.evaluate("document.querySelector('form.subscribe-form').requestSubmit()")
    wait_for_csp_violation(page)
    assert page.evaluate("window.__cspViolations") == [
        "form-action http://127.0.0.2:9/subscribe"
    ]
    assert page.url == f"{site_with_headers}/subscribe/"
    context.close()
