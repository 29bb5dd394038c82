"""Reading in the browser: what shows before scrolling, the header, tap targets,
the search dialog, the folded series box, the contents and progress of an essay."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser import axe_violations, open_search, serve
from tests.sitebuild import build, copy_content
from tests.theme_pages import PAGE_TYPES, url_path

ESSAYS = [
    "/customer-disservice/",
    "/what-does-customer-service-mean-to-you/",
    "/what-your-customer-wants/",
    "/customer-service-and-customer-attention/",
    "/what-is-customer-service/",
]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 800}
# From the narrowest phone to a wide desktop, with the header's breakpoint
# (60rem = 960 px) and the widths either side of it.
WIDTHS = [320, 375, 600, 768, 959, 960, 1024, 1280, 1600]

# An essay as authors import them from elsewhere: sections under ## and ###
# headings, long enough for a table of contents.
SECTIONED_ESSAY = """Title: Answering the Phone Well
Date: 2026-06-15 09:00
Category: Customer Service
Tags: telephone
Slug: answering-the-phone-well
Summary: Answering the phone, heading by heading.

The first seconds of a call decide much of what follows.

## Before you pick up

{body}

## The greeting

{body}

### Saying your name

{body}

## Listening

{body}

## Closing the call

{body}
"""
FILLER = " ".join(["A caller hears the tone before the words."] * 40)
SHORT_ESSAY = """Title: Two Sections
Date: 2026-06-20 09:00
Category: Customer Service
Tags: telephone
Slug: two-sections
Summary: An essay of two sections.

Only a little text.

## One

Some words.

## Two

More words.
"""


@pytest.fixture
def open_page(browser):
    """Pages in contexts of our choosing; each fails the test on a console error."""
    contexts, errors = [], []

    def opener(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield opener
    for context in contexts:
        context.close()
    assert errors == [], errors


@pytest.fixture(scope="module")
def sectioned_url(tmp_path_factory) -> Iterator[str]:
    """The site with an essay of five headings and one of two."""
    folder = tmp_path_factory.mktemp("sectioned")
    content = copy_content(folder / "content")
    essays = content / "essays"
    (essays / "00-phone.md").write_text(SECTIONED_ESSAY.format(body=FILLER), "utf-8")
    (essays / "00-two.md").write_text(SHORT_ESSAY, "utf-8")
    with serve(build(folder / "output", content=content)) as url:
        yield url


def top_of(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


# --- what shows before scrolling -----------------------------------------------


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280x800", "375x800"])
@pytest.mark.parametrize("essay", ESSAYS)
def test_the_first_sentence_shows_without_scrolling(
    open_page, site_url, essay, viewport
):
    page = open_page(viewport=viewport)
    page.goto(site_url + essay)
    first = page.locator(".essay-body > p").first.bounding_box()
    # The first line of it, not only its top edge, is on the first screen.
    line = page.locator(".essay-body > p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).lineHeight)"
    )
    assert first["y"] + line <= viewport["height"], first
    # The series box is folded: one line, the list inside it closed.
    box = page.locator(".essay-header details.series-box")
    assert box.get_attribute("open") is None
    expect(box.locator("summary")).to_have_text(
        "Part "
        + str(ESSAYS.index(essay) + 1)
        + " of 5 in Understanding Customer Service"
    )
    expect(box.locator("ol")).to_be_hidden()


def test_the_folded_series_box_opens_to_every_part(open_page, site_url):
    page = open_page(viewport=PHONE)
    page.goto(site_url + "/what-your-customer-wants/")
    box = page.locator(".essay-header details.series-box")
    box.locator("summary").click()
    expect(box.locator("ol > li")).to_have_count(5)
    expect(box.locator('li[aria-current="page"]')).to_be_visible()
    box.locator("a", has_text="Customer Disservice").click()
    expect(page.locator("h1")).to_have_text("Customer Disservice")


def test_you_are_here_never_wraps_alone(open_page, site_url):
    for width in (320, 375):
        page = open_page(viewport={"width": width, "height": 800})
        page.goto(site_url + "/customer-service-and-customer-attention/")
        current = page.locator('.series-end li[aria-current="page"] span')
        # The title's last word and the ::after text end on the same line.
        last_word, span = current.evaluate(
            """span => {
                const text = span.firstChild, range = document.createRange();
                range.setStart(text, text.length - 1);
                range.setEnd(text, text.length);
                const rects = span.getClientRects();
                return [range.getBoundingClientRect().bottom,
                        rects[rects.length - 1].bottom];
            }"""
        )
        assert abs(last_word - span) < 2, (width, last_word, span)


def test_part_one_shows_on_a_phones_first_screen_and_h1_is_not_the_site_name(
    open_page, site_url
):
    page = open_page(viewport=PHONE)
    page.goto(site_url + "/")
    part_one = page.locator(".course > li").first.locator("h2").bounding_box()
    assert part_one["y"] + part_one["height"] <= PHONE["height"], part_one
    site_name = page.locator(".site-title").inner_text()
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() != site_name


# --- the header ------------------------------------------------------------------


def test_the_header_is_one_row_at_desktop_widths(open_page, site_url):
    page = open_page(viewport=LAPTOP)
    page.goto(site_url + "/what-is-customer-service/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 64, header
    parts = [".site-title", ".site-nav", "[data-search-open]", "[data-theme-toggle]"]
    boxes = [page.locator(part).bounding_box() for part in parts]
    # All four side by side: their vertical middles on one line, left to right.
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 4, middles
    lefts = [box["x"] for box in boxes]
    assert lefts == sorted(lefts), lefts
    expect(page.locator("[data-search-open]")).to_contain_text("Search")


def test_the_header_is_compact_on_a_phone(open_page, site_url):
    page = open_page(viewport=PHONE)
    page.goto(site_url + "/what-is-customer-service/")
    assert page.locator(".site-header").bounding_box()["height"] <= 100
    # Name and both buttons on the first row, the navigation on one more.
    title = page.locator(".site-title").bounding_box()
    for button in ("[data-search-open]", "[data-theme-toggle]"):
        box = page.locator(button).bounding_box()
        assert box["y"] < title["y"] + title["height"], button
    links = page.locator(".site-nav a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().top)"
    )
    assert max(links) - min(links) < 1, links


def test_the_current_page_is_in_view_in_the_phones_navigation(open_page, site_url):
    page = open_page(viewport={"width": 320, "height": 800})
    page.goto(site_url + "/subscribe/")
    current = page.locator('.site-nav a[aria-current="page"]')
    expect(current).to_have_text("Subscribe")
    box = current.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320, box


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_in_the_header_wraps(open_page, site_url, width):
    page = open_page(viewport={"width": width, "height": 800})
    page.goto(site_url + "/what-your-customer-wants/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    one_line = page.evaluate(
        """() => [...document.querySelectorAll(
                '.site-nav a, .search-button, .theme-toggle, .essay-header .meta-item')]
            .filter(e => e.getClientRects().length)
            .map(e => [e.textContent.trim(),
                       new Set([...e.getClientRects()].map(r => r.top | 0)).size,
                       e.getBoundingClientRect().height])"""
    )
    for text, lines, height in one_line:
        assert lines == 1 and height < 48, (width, text, lines, height)
    header = page.locator(".site-header").bounding_box()["height"]
    assert header <= (64 if width >= 960 else 100), (width, header)
    if width >= 960:  # one row: the site's name on one line
        title = page.locator(".site-title a")
        assert title.evaluate("a => a.getClientRects().length") == 1


# --- tap targets (WCAG 2.2, 2.5.8) ---------------------------------------------

SMALL_TARGETS = """() => {
    // Links inside a sentence are exempt (WCAG 2.5.8, "inline"): an inline
    // element whose block has other text than its own.
    const inline = el => getComputedStyle(el).display === "inline" && (() => {
        const block = el.closest("p, li, dd, td, figcaption, h1, h2, h3, span.meta");
        return block && block.textContent.trim() !== el.textContent.trim();
    })();
    const targets = "a[href], button, summary, input, select, textarea";
    const shown = el => el.getClientRects().length
        && getComputedStyle(el).visibility !== "hidden";
    return [...document.querySelectorAll(targets)]
        .filter(shown)
        // An aria-hidden, untabbable, off-screen field (the sign-up form's
        // honeypot) is no target a person can tap.
        .filter(el => !el.closest(".skip-link, [aria-hidden='true']") && !inline(el))
        .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
        .filter(([, r]) => r.width < 24 || r.height < 24)
        .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`);
}"""


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "375"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_tap_target_is_at_least_24px(open_page, site_url, name, viewport):
    page = open_page(viewport=viewport)
    page.goto(site_url + url_path(PAGE_TYPES[name]))
    # Open everything that folds, so the targets inside are measured too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate(SMALL_TARGETS) == []


def test_tap_targets_in_the_open_search_are_at_least_24px(open_page, site_url):
    page = open_page(viewport=PHONE)
    page.goto(site_url + "/")
    open_search(page).fill("listen")
    expect(page.locator(".pagefind-ui__result-link").first).to_be_visible(
        timeout=10_000
    )
    assert page.evaluate(SMALL_TARGETS) == []


def test_the_tap_target_check_finds_a_small_button(open_page, site_url):
    page = open_page(viewport=PHONE)
    page.goto(site_url + "/about/")
    page.evaluate(
        """() => { const b = document.createElement("button");
                   b.textContent = "x"; b.className = "tiny";
                   document.querySelector("main").append(b);
                   b.setAttribute("style", "all: unset; font-size: 8px"); }"""
    )
    assert any("tiny" in small for small in page.evaluate(SMALL_TARGETS))


# --- search: the button and "/" ------------------------------------------------


def test_the_search_button_opens_the_search_and_loads_it_only_then(open_page, site_url):
    page = open_page(viewport=LAPTOP)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "/what-is-customer-service/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if "/pagefind/" in url], requested
    expect(page.locator("#search-dialog")).to_be_hidden()
    field = open_search(page)
    expect(page.locator("#search-dialog")).to_be_visible()
    assert any(url.endswith("/pagefind/pagefind-ui.js") for url in requested)
    assert page.evaluate("document.activeElement.matches('#site-search input')")
    field.fill("empathy")
    results = page.locator(".pagefind-ui__result")
    expect(results.first).to_be_visible(timeout=10_000)
    card = results.filter(has_text="What does customer service mean to you?").first
    expect(card.locator("a.pagefind-ui__result-link").first).to_have_attribute(
        "href", "/what-does-customer-service-mean-to-you/"
    )
    expect(card.locator(".pagefind-ui__result-tag")).to_have_text("Part: 2 of 5")
    expect(card.locator(".pagefind-ui__result-excerpt mark").first).to_be_visible()


def test_slash_opens_the_search_but_not_while_typing(open_page, site_url):
    page = open_page(viewport=PHONE)
    page.goto(site_url + "/quick-reference/")
    # An icon on a phone, still named: "Search".
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
    filter_field = page.locator("main input").first
    if filter_field.count():
        filter_field.focus()
        page.keyboard.type("a/b")
        expect(page.locator("#search-dialog")).to_be_hidden()
        assert filter_field.input_value().endswith("a/b")
    page.goto(site_url + "/what-is-customer-service/")
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.locator("#search-dialog")).to_be_visible()
    page.locator("#site-search input").wait_for()
    expect(page.locator("#site-search input")).to_be_focused()
    # The slash opened the search; it is not typed into the field.
    assert page.locator("#site-search input").input_value() == ""
    page.keyboard.press("Escape")
    expect(page.locator("#search-dialog")).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_essay_filter_shows_only_for_two_essays_or_more(
    open_page, site_url, scheme
):
    page = open_page(viewport=LAPTOP, color_scheme=scheme)
    page.goto(site_url + "/")
    field = open_search(page)
    panel = page.locator(".pagefind-ui__filter-panel")
    field.fill("listen")  # in two essays
    expect(page.locator(".pagefind-ui__result")).to_have_count(2, timeout=10_000)
    expect(panel).to_be_visible()
    # No groove border on Pagefind's fieldsets, in either scheme.
    for part in (".pagefind-ui__filter-panel", ".pagefind-ui__filter-group"):
        assert page.locator(part).first.evaluate(
            "e => getComputedStyle(e).borderTopStyle"
        ) in ("none", "hidden"), part
    # Narrowed to one essay, the filter stays, so the reader can undo it.
    page.locator(".pagefind-ui__filter-checkbox").first.check()
    expect(page.locator(".pagefind-ui__result")).to_have_count(1, timeout=10_000)
    expect(panel).to_be_visible()
    page.locator(".pagefind-ui__filter-checkbox:checked").uncheck()
    field.fill("paycheck")  # in one essay only
    expect(page.locator(".pagefind-ui__result")).to_have_count(1, timeout=10_000)
    expect(panel).to_be_hidden()


# --- the toggle -----------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_toggles_name_says_its_state(open_page, site_url, scheme):
    page = open_page(viewport=PHONE, color_scheme=scheme)
    page.goto(site_url + "/")
    shown = {"light": "off", "dark": "on"}
    toggle = page.get_by_role("button", name=f"Dark mode: {shown[scheme]}", exact=True)
    expect(toggle).to_be_visible()
    toggle.click()
    other = "on" if scheme == "light" else "off"
    expect(
        page.get_by_role("button", name=f"Dark mode: {other}", exact=True)
    ).to_be_visible()


# --- contents and progress -------------------------------------------------------


def test_a_long_essay_with_several_headings_has_a_table_of_contents(
    open_page, sectioned_url
):
    page = open_page(viewport=PHONE)
    page.goto(sectioned_url + "/answering-the-phone-well/")
    toc = page.locator("details.essay-toc")
    assert toc.get_attribute("open") is None  # folded on a phone
    first = page.locator(".essay-body > p").first.bounding_box()
    assert first["y"] + 30 <= PHONE["height"]
    toc.locator("summary").click()
    links = toc.locator("a")
    expect(links).to_have_text(
        [
            "Before you pick up",
            "The greeting",
            "Saying your name",
            "Listening",
            "Closing the call",
        ]
    )
    links.filter(has_text="Listening").click()
    expect(page).to_have_url(sectioned_url + "/answering-the-phone-well/#listening")
    # Scrolled to the section (smoothly: wait for it to arrive).
    page.wait_for_function(
        "() => Math.abs(document.getElementById('listening')"
        ".getBoundingClientRect().top) < 100"
    )
    # Beside the text on a wide screen, open.
    wide = open_page(viewport={"width": 1400, "height": 900})
    wide.goto(sectioned_url + "/answering-the-phone-well/")
    toc = wide.locator("details.essay-toc")
    expect(toc).to_have_attribute("open", "")
    body = wide.locator(".essay-body").bounding_box()
    assert toc.locator("nav").bounding_box()["x"] >= body["x"] + body["width"]


def test_an_essay_with_two_headings_has_no_table_of_contents(open_page, sectioned_url):
    page = open_page(viewport=PHONE)
    page.goto(sectioned_url + "/two-sections/")
    expect(page.locator(".essay-body h2")).to_have_count(2)
    expect(page.locator(".essay-toc")).to_have_count(0)


def test_the_reading_progress_bar_follows_the_scroll(open_page, site_url):
    page = open_page(viewport=PHONE)
    page.goto(site_url + "/what-is-customer-service/")
    bar = page.locator(".reading-progress-bar")

    def shown() -> float:
        return bar.evaluate(
            "b => b.getBoundingClientRect().width / b.parentElement.clientWidth"
        )

    assert shown() < 0.05
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(
        "() => { const b = document.querySelector('.reading-progress-bar');"
        " const whole = b.parentElement.clientWidth;"
        " return b.getBoundingClientRect().width > 0.95 * whole; }"
    )
    assert page.locator(".reading-progress").get_attribute("aria-hidden") == "true"


# --- paper -----------------------------------------------------------------------


def test_an_essay_prints_with_margins_and_its_name_and_address_once(
    open_page, site_url
):
    page = open_page()
    page.goto(site_url + "/what-your-customer-wants/")
    page.emulate_media(media="print")
    margins = page.evaluate(
        """() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
            .filter(rule => rule instanceof CSSPageRule)
            .map(rule => rule.style.marginTop)"""
    )
    assert margins and all(margin not in ("", "0px") for margin in margins), margins
    visible = page.evaluate(
        """() => { const shown = [];
            const walker = document.createTreeWalker(document.body, 4);  // text
            while (walker.nextNode()) {
                const node = walker.currentNode, parent = node.parentElement;
                if (node.textContent.trim() && parent.checkVisibility())
                    shown.push(node);
            }
            return shown.map(n => n.textContent).join(" "); }"""
    )
    assert visible.count("Understanding Customer Service") == 1, visible[:400]
    address = "http://127.0.0.1:8000/what-your-customer-wants/"
    assert visible.count(address) == 1
    # The whole source credit is printed, at the end.
    assert "not reproduced here." in visible
    for screen_only in ("[data-search-open]", ".reading-progress", ".series-end"):
        assert page.locator(screen_only).is_hidden(), screen_only


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/what-your-customer-wants/"])
def test_axe_finds_nothing_at_phone_width(open_page, site_url, path, scheme):
    # The header's buttons are icons there: their names must still be read.
    page = open_page(viewport=PHONE, color_scheme=scheme)
    page.goto(site_url + path)
    assert axe_violations(page) == []
