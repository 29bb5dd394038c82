"""The theme in headless Chromium: axe, dark mode, CSP, print, small screens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import axe_violations, serve
from tests.headers_server import serve_with_headers
from tests.sitebuild import build, copy_content
from tests.theme_pages import PAGE_TYPES, url_path

SCHEMES = ["light", "dark"]


@pytest.fixture(scope="module")
def csp_site_url(site) -> Iterator[str]:
    """The site served as Netlify would serve it: with its `_headers`."""
    with serve_with_headers(site) as url:
        yield url


@pytest.fixture
def new_page(browser):
    """Pages in contexts of our choosing; each fails the test on a console error."""
    contexts = []
    errors: list[str] = []

    def open_page(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"console errors: {errors}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_axe_finds_no_violations(new_page, site_url, name, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(site_url + url_path(PAGE_TYPES[name]))
    assert axe_violations(page) == []


def test_axe_checks_contrast_of_the_toggled_scheme_too(new_page, site_url):
    page = new_page(color_scheme="light")
    page.goto(site_url + "/what-is-customer-service/")
    page.get_by_role("button", name="Dark mode").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_loads_under_the_shipped_csp_and_fits_320px(
    new_page, csp_site_url, name
):
    page = new_page(viewport={"width": 320, "height": 640})
    response = page.goto(csp_site_url + url_path(PAGE_TYPES[name]))
    assert "wasm-unsafe-eval" in response.headers["content-security-policy"]
    # A blocked script or style would leave the toggle hidden or the page unstyled.
    assert page.get_by_role("button", name="Dark mode").is_visible()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position")
        == "absolute"
    )
    # Readable from 320 px: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def toggle_name(page) -> str:
    """The scheme toggle's accessible name, as assistive technology reads it."""
    toggle = page.locator("[data-theme-toggle]")
    # Exactly one button answers to the name: the name is the toggle's.
    name = toggle.inner_text().strip()
    assert page.get_by_role("button", name=name, exact=True).count() == 1
    return name


def test_dark_mode_follows_the_system_by_default(new_page, site_url):
    light = new_page(color_scheme="light")
    light.goto(site_url + "/")
    dark = new_page(color_scheme="dark")
    dark.goto(site_url + "/")
    assert background(light) == "rgb(253, 252, 249)"
    assert background(dark) == "rgb(23, 25, 28)"
    assert toggle_name(dark) == "Dark mode: on"
    assert toggle_name(light) == "Dark mode: off"
    assert dark.evaluate("document.documentElement.dataset.theme") is None


def test_the_toggle_switches_and_the_choice_persists(new_page, site_url):
    page = new_page(color_scheme="light")
    page.goto(site_url + "/")
    page.get_by_role("button", name="Dark mode: off", exact=True).click()
    assert background(page) == "rgb(23, 25, 28)"
    # The name says the new state, and so does the icon: a sun, to go back.
    assert toggle_name(page) == "Dark mode: on"
    assert page.locator(".theme-toggle .icon-sun").is_visible()
    assert page.locator(".theme-toggle .icon-moon").is_hidden()

    page.goto(site_url + "/what-is-customer-service/")
    assert background(page) == "rgb(23, 25, 28)"
    page.get_by_role("button", name="Dark mode").click()
    assert background(page) == "rgb(253, 252, 249)"
    page.reload()
    assert page.evaluate("localStorage.getItem('color-scheme')") == "light"
    assert background(page) == "rgb(253, 252, 249)"


def test_a_saved_light_choice_beats_a_dark_system(new_page, site_url):
    page = new_page(color_scheme="dark")
    page.goto(site_url + "/")
    page.evaluate("localStorage.setItem('color-scheme', 'light')")
    page.reload()
    assert background(page) == "rgb(253, 252, 249)"
    assert toggle_name(page) == "Dark mode: off"


def test_without_javascript_the_page_reads_and_the_toggle_hides(new_page, site_url):
    page = new_page(java_script_enabled=False, color_scheme="dark")
    page.goto(site_url + "/what-is-customer-service/")
    assert page.locator("[data-theme-toggle]").is_hidden()
    assert background(page) == "rgb(23, 25, 28)"
    assert page.locator(".series-box").is_visible()
    assert page.locator(".essay-body").is_visible()


def test_the_essay_prints_without_navigation(new_page, site_url):
    page = new_page(color_scheme="dark")
    page.goto(site_url + "/what-is-customer-service/")
    page.emulate_media(media="print")
    for chrome in [".site-nav", ".theme-toggle", ".series-box", ".series-pager"]:
        assert page.locator(chrome).is_hidden(), chrome
    assert page.locator(".site-footer").is_hidden()
    assert page.locator("h1").is_visible()
    assert page.locator(".essay-body").is_visible()
    assert background(page) == "rgb(255, 255, 255)"


def test_the_skip_link_appears_on_focus_and_moves_to_main(new_page, site_url):
    page = new_page()
    page.goto(site_url + "/what-is-customer-service/")
    skip = page.get_by_role("link", name="Skip to content")
    assert not skip.is_visible() or skip.bounding_box()["y"] < 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible_on_links(new_page, site_url):
    page = new_page()
    page.goto(site_url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_series_navigation_walks_the_course(new_page, site_url):
    page = new_page()
    page.goto(site_url + "/customer-disservice/")
    seen = [page.locator("h1").inner_text()]
    while page.locator('a[rel="next"]').count():
        page.locator('a[rel="next"]').click()
        seen.append(page.locator("h1").inner_text())
        # The folded box at the top and the open list at the end agree.
        folded = page.locator('.series-box li[aria-current="page"]').text_content()
        current = page.locator('.series-end li[aria-current="page"]').inner_text()
        assert seen[-1] in current and seen[-1] in folded
    assert len(seen) == 5
    assert seen[-1] == "What is Customer Service?"


def test_the_served_404_page_is_styled(new_page, site_url):
    page = new_page()
    page.goto(site_url + "/404.html")
    assert page.locator("h1").inner_text() == "Page not found"
    assert background(page) == "rgb(253, 252, 249)"


def test_the_axe_harness_reports_real_violations(new_page):
    # Guards the zero-violation tests above against an axe that never ran.
    page = new_page()
    page.set_content('<html><body><img src="data:,"><p>text</p></body></html>')
    found = {violation.split(":")[0] for violation in axe_violations(page)}
    assert {"image-alt", "html-has-lang", "document-title"} <= found


CHECKLIST_ESSAY = """Title: Checklist Sample
Date: 2026-12-01 09:00
Category: Customer Service
Tags: checklists
Slug: checklist-sample
Summary: A sample essay with a checklist block.

Some lead-in words:

- First item
- Second item
{: .checklist title="Sample" #checklist-sample }

The end.
"""


@pytest.fixture(scope="module")
def checklist_site_url(tmp_path_factory) -> Iterator[str]:
    """A copy of the content plus an essay with a checklist block, served."""
    folder = tmp_path_factory.mktemp("checklist")
    content = copy_content(folder / "content")
    (content / "essays" / "99-checklist.md").write_text(CHECKLIST_ESSAY, "utf-8")
    with serve(build(folder / "output", content=content)) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
def test_checklist_blocks_are_marked_and_highlighted_when_linked(
    new_page, checklist_site_url, scheme
):
    # The markup is the checklists plugin's own, so this follows its output.
    page = new_page(color_scheme=scheme)
    page.goto(checklist_site_url + "/checklist-sample/")
    block = page.locator(".essay-body ul.checklist#checklist-sample")
    assert block.evaluate("e => getComputedStyle(e).borderLeftStyle") == "solid"
    plain = block.evaluate("e => getComputedStyle(e).backgroundColor")
    page.goto(checklist_site_url + "/checklist-sample/#checklist-sample")
    assert block.evaluate("e => getComputedStyle(e).backgroundColor") != plain
    assert axe_violations(page) == []
