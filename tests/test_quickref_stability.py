"""The quick reference does not move under the reader while its script loads
(Lighthouse's cumulative layout shift, issue 17). Headless Chromium.

quickref.js is deferred: on a slow phone the page paints first and the
script runs later. The script is held back here until the page has painted,
as on such a phone; every control it brings to life must already have its
place by then (html.js, set in <head> by theme.js, shows them)."""

from __future__ import annotations

import pytest

PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 800}

# Sums every layout shift not caused by input, from the first paint on.
COLLECT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""

SETTLED = """() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() =>
    setTimeout(() => resolve(window.__layoutShift), 100))))"""


def layout_shift_while_the_script_loads(browser, url: str, viewport) -> float:
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.add_init_script(COLLECT_SHIFTS)
        held = []
        page.route("**/js/quickref.js", lambda route: held.append(route))
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            "performance.getEntriesByName('first-contentful-paint').length > 0"
        )
        page.wait_for_function("document.readyState === 'interactive'")
        # The page as painted without the script: the controls' places kept.
        assert page.locator(".quickref.has-js").count() == 0
        assert len(held) == 1, "quickref.js was not requested"
        held[0].continue_()
        page.wait_for_selector(".quickref.has-js")
        return page.evaluate(SETTLED)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["375", "1280"])
def test_nothing_shifts_when_the_script_brings_the_controls(
    browser, site_url, viewport
):
    shift = layout_shift_while_the_script_loads(
        browser, f"{site_url}/quick-reference/", viewport
    )
    # Lighthouse scores a shift under 0.1 "good"; the page's own controls
    # must not move it at all (a font or image shift would be elsewhere).
    assert shift < 0.01, f"cumulative layout shift {shift:.3f}"
