"""What a server must answer for an address the site does not have."""

from __future__ import annotations

import urllib.error
import urllib.request

MISSING = "/no/such/essay/"


def fetch_missing(base_url: str) -> tuple[int, str]:
    """The status and body a client gets for a missing address."""
    try:
        with urllib.request.urlopen(base_url + MISSING, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def assert_the_sites_404_page(page, base_url: str) -> None:
    """404 with the site's own page, styled and linked from any depth.

    `page` is conftest's, which fails a test on a console error."""
    status, body = fetch_missing(base_url)
    assert status == 404
    assert "<h1>Page not found</h1>" in body
    response = page.goto(base_url + MISSING)
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # The stylesheet loaded, though the address is three folders deep.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")
        == "absolute"
    )
    home = page.get_by_role("link", name="The course, from part 1")
    assert home.evaluate("a => a.href") == base_url + "/"
    # Chromium reports the page's own 404 as a console error: that one only
    # (a stylesheet or script missing from this depth would be a second).
    errors = page.console_errors
    not_found = [e for e in errors if "status of 404" in e]
    assert len(not_found) == 1, errors
    errors.remove(not_found[0])
