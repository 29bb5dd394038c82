"""The quick-reference page and site search, in headless Chromium."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import open_search, serve
from tests.sitebuild import build

FIXTURES = Path(__file__).parent / "fixtures" / "checklists"


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    output = build(tmp_path_factory.mktemp("qr") / "output", content=FIXTURES / "good")
    with serve(output) as url:
        yield url


def visible_items(page) -> list[str]:
    # textContent, not innerText: off-screen checklists skip rendering
    # (content-visibility: auto), and innerText of unrendered text is empty.
    texts = page.locator(".quickref-item:visible .quickref-text").all_text_contents()
    return [" ".join(text.split()) for text in texts]


def test_typing_filters_with_every_word_and_highlights(page, site_url):
    page.goto(f"{site_url}/quick-reference/")
    total = page.locator(".quickref-item").count()
    page.locator("#quickref-q").fill("want FEEL")
    assert visible_items(page) == [
        "They want to feel good.",
        "They want to feel that they have received excellent value.",
        "They also want to feel special.",
    ]
    expect(page.locator("#quickref-count")).to_have_text(f"3 of {total} items")
    assert page.locator("#quickref-count").get_attribute("aria-live") == "polite"
    marks = page.locator(".quickref-item:visible mark").all_text_contents()
    assert sorted(set(marks)) == ["feel", "want"]
    # Sections with nothing left are hidden, the others stay.
    essays = page.locator(".quickref-essay:visible h2").all_inner_texts()
    assert essays == ["Customer Service, Good Manners and What Your Customer Wants"]


def test_clearing_the_query_shows_everything_again(page, site_url):
    page.goto(f"{site_url}/quick-reference/")
    total = page.locator(".quickref-item").count()
    page.locator("#quickref-q").fill("respect")
    assert visible_items(page) == ["respect"]
    page.locator("#quickref-q").fill("")
    assert len(visible_items(page)) == total
    expect(page.locator(".quickref mark")).to_have_count(0)
    expect(page.locator("#quickref-count")).to_have_text(f"{total} items")


def test_the_query_lives_in_the_address(page, site_url):
    page.goto(f"{site_url}/quick-reference/")
    page.locator("#quickref-q").fill("patience")
    expect(page).to_have_url(re.compile(r"/quick-reference/\?q=patience$"))
    page.goto(f"{site_url}/quick-reference/?q=special")
    expect(page.locator("#quickref-q")).to_have_value("special")
    assert visible_items(page) == ["They also want to feel special."]


def test_filter_by_essay_and_by_tag(page, site_url):
    page.goto(f"{site_url}/quick-reference/")
    page.locator("#quickref-essay").select_option("what-is-customer-service")
    assert len(visible_items(page)) == 4
    expect(page).to_have_url(re.compile(r"essay=what-is-customer-service"))
    page.locator("#quickref-essay").select_option("")
    page.locator("#quickref-tag").select_option("basic needs")
    assert len(visible_items(page)) == 7
    page.locator("#quickref-q").fill("zzzz-nothing")
    expect(page.locator(".quickref-none")).to_be_visible()


def test_case_and_diacritics_do_not_matter(page, fixture_url):
    page.goto(f"{fixture_url}/quick-reference/?q=ZOE")
    assert visible_items(page) == ["being kind to Zoë", "Be kind to Zoë."]
    assert page.locator(".quickref-item:visible mark").all_text_contents() == [
        "Zoë",
        "Zoë",
    ]


def test_code_in_an_item_is_shown_as_text(page, fixture_url):
    page.goto(f"{fixture_url}/quick-reference/?q=script")
    shown = visible_items(page)
    assert "<script>alert(1)</script> in code" in shown
    assert (
        page.evaluate("document.querySelectorAll('.quickref-item script').length") == 0
    )


def test_without_javascript_the_full_list_shows(browser, site_url, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}/quick-reference/?q=respect")
        items = page.locator(".quickref-item")
        assert items.count() > 10
        assert len(visible_items(page)) == items.count()
        expect(page.locator(".quickref-filter")).to_be_hidden()
        expect(page.locator(".quickref-tick").first).to_be_hidden()
        expect(page.locator("#site-search")).to_be_hidden()
        expect(
            page.locator("nav.site-nav a", has_text="Quick reference")
        ).to_be_visible()
    finally:
        context.close()


def test_ticks_are_remembered_and_reset(page, site_url):
    page.goto(f"{site_url}/quick-reference/")
    item = page.locator(".quickref-item").filter(has_text="empathy")
    item.locator(".quickref-tick").check()
    expect(item).to_have_class(re.compile(r"\bis-ticked\b"))
    page.reload()
    item = page.locator(".quickref-item").filter(has_text="empathy")
    expect(item.locator(".quickref-tick")).to_be_checked()
    assert page.locator(".quickref-tick:checked").count() == 1
    page.locator(".quickref-reset").click()
    expect(item.locator(".quickref-tick")).not_to_be_checked()
    page.reload()
    assert page.locator(".quickref-tick:checked").count() == 0
    expect(page.locator(".quickref-reset")).to_be_disabled()


def test_every_tick_is_labelled_by_its_own_item(page, site_url):
    page.goto(f"{site_url}/quick-reference/")
    item = page.locator(".quickref-item").filter(has_text="empathy")
    expect(item.locator(".quickref-tick")).to_have_accessible_name(
        " ".join(item.locator(".quickref-text").text_content().split())
    )
    # Every box: its label is the text beside it, and no two share an id.
    mislabelled = page.evaluate(
        """() => {
            const bad = [];
            const ids = new Set();
            for (const item of document.querySelectorAll(".quickref-item")) {
                const text = item.querySelector(".quickref-text");
                const box = item.querySelector(".quickref-tick");
                const label = box.getAttribute("aria-labelledby");
                if (!label || document.getElementById(label) !== text
                    || ids.has(label)) bad.push(label);
                ids.add(label);
            }
            return bad;
        }"""
    )
    assert page.locator(".quickref-tick").count() > 10
    assert mislabelled == []


def test_a_tick_saved_by_an_earlier_build_of_the_page_still_shows(page, site, site_url):
    # Ticks are kept under "t-<essay slug>-<item id>" (the ids the page once
    # carried): a reader's saved ticks must survive a change of the page.
    data = json.loads((site / "checklists.json").read_text("utf-8"))
    checklist, item = next(
        (checklist, item)
        for checklist in data["checklists"]
        for item in checklist["items"]
        if "empathy" in item["text"]
    )
    key = f"t-{checklist['essay_url'].strip('/')}-{item['id']}"
    page.goto(f"{site_url}/quick-reference/")
    page.evaluate(
        "key => localStorage.setItem('quickref-ticks', JSON.stringify([key]))", key
    )
    page.reload()
    assert page.locator(".quickref-tick:checked").count() == 1
    row = page.locator(".quickref-item").filter(has_text="empathy")
    expect(row.locator(".quickref-tick")).to_be_checked()
    expect(row).to_have_class(re.compile(r"\bis-ticked\b"))


def test_items_link_to_their_place_in_the_essay(page, site_url):
    page.goto(f"{site_url}/quick-reference/?q=empathy")
    page.locator(".quickref-item:visible .quickref-goto").click()
    assert page.url == (
        f"{site_url}/what-does-customer-service-mean-to-you/#checklist-basic-needs-4"
    )
    expect(page.locator("#checklist-basic-needs-4")).to_have_text("empathy")


def test_print_shows_one_clean_sheet(page, site_url):
    page.goto(f"{site_url}/quick-reference/?q=feel")
    page.emulate_media(media="print")
    expect(page.locator(".quickref-filter")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".quickref-goto").first).to_be_hidden()
    assert (
        page.locator(".quickref-list").evaluate("e => getComputedStyle(e).columnCount")
        == "2"
    )


def test_site_search_finds_an_essay(page, site_url):
    page.goto(f"{site_url}/customer-disservice/")
    search = open_search(page)
    search.fill("empathy")
    results = page.locator(".pagefind-ui__result-link")
    expect(results.first).to_be_visible(timeout=10_000)
    titles = results.all_inner_texts()
    assert "What does customer service mean to you?" in titles
    assert not any("Archives" in title or "Tags" in title for title in titles)


PAGEFIND_URLS = """
async (query) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(query);
  const pages = await Promise.all(search.results.map(result => result.data()));
  return pages.map(page => page.url).sort();
}
"""


def test_search_indexes_essays_and_checklists_but_not_drafts(page, fixture_url):
    page.goto(f"{fixture_url}/quick-reference/")
    assert page.evaluate(PAGEFIND_URLS, "plants") == [
        "/every-form/",
        "/quick-reference/",
    ]
    assert page.evaluate(PAGEFIND_URLS, "xyzzy") == []  # the draft
    assert page.evaluate(PAGEFIND_URLS, "plugh") == []  # the hidden essay
    assert page.evaluate(PAGEFIND_URLS, "frobnicate") == []  # a page
    assert "/archives/" not in page.evaluate(PAGEFIND_URLS, "nested")


def test_search_has_a_filter_per_essay(page, site_url):
    page.goto(f"{site_url}/")
    filters = page.evaluate(
        "async () => (await import('/pagefind/pagefind.js')).filters()"
    )
    assert set(filters["essay"]) == {
        "Customer Disservice",
        "What does customer service mean to you?",
        "Customer Service, Good Manners and What Your Customer Wants",
        "What’s the Difference Between Customer Service and Customer Attention?",
        "What is Customer Service?",
    }
