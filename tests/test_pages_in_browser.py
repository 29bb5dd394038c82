"""The built site, opened in headless Chromium as a reader would."""

from __future__ import annotations


def test_home_links_to_every_essay_in_course_order(page, site_url):
    page.goto(f"{site_url}/")
    titles = page.locator("main ol.course h2 a").all_inner_texts()
    assert titles == [
        "Customer Disservice",
        "What does customer service mean to you?",
        "Customer Service, Good Manners and What Your Customer Wants",
        "What’s the Difference Between Customer Service and Customer Attention?",
        "What is Customer Service?",
    ]


def test_an_essay_opens_from_the_home_page(page, site_url):
    page.goto(f"{site_url}/")
    page.get_by_role("link", name="What is Customer Service?").click()
    assert page.url == f"{site_url}/what-is-customer-service/"
    assert page.locator("h1").inner_text() == "What is Customer Service?"
