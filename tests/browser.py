"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# No browser download works here, and Chromium's background services would
# try the network at every start: the flags from DESIGN.md.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def serve(folder: Path) -> AbstractContextManager[str]:
    """Serve `folder` over HTTP on a free port; yields the base URL."""
    return serve_with(QuietHandler, folder)


@contextmanager
def serve_with(
    handler_class: type[SimpleHTTPRequestHandler], folder: Path, port: int = 0
) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 with `handler_class`; yields the base URL."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def open_search(page):
    """Open the header's search dialog as a reader does; its search field."""
    page.locator("[data-search-open]").click()
    field = page.locator("#site-search .pagefind-ui__search-input")
    field.wait_for(timeout=10_000)
    return field


def axe_violations(page, within: str | None = None) -> list[str]:
    """axe-core's violations on the page (or inside the `within` selector)."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (within) => {
            const r = await axe.run(within || document,
                                    {resultTypes: ["violations"]});
            return r.violations.map(v => v.id + ": " + v.nodes.map(
                n => n.target.join(" ") + " " + (n.failureSummary || "")).join(" | "));
        }""",
        within,
    )


def wait_for_csp_violation(page) -> None:
    """Until the page has reported a Content-Security-Policy violation.

    A promise the page resolves on the event, not wait_for_function: its
    polling evaluates the predicate as a string inside the page, which a
    script-src without 'unsafe-eval' blocks whenever the first check comes
    too early. (The page records violations in window.__cspViolations.)"""
    page.evaluate(
        "() => window.__cspViolations.length || new Promise((resolve) =>"
        " document.addEventListener('securitypolicyviolation', resolve,"
        " {once: true}))"
    )
