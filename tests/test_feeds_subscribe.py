"""The subscribe page: feed links that work, the digest's sign-up."""

from __future__ import annotations

import json

import lxml.html

from tests.sitebuild import build

BUTTONDOWN = "https://buttondown.com/api/emails/embed-subscribe/essays"


def test_every_feed_link_on_the_subscribe_page_opens_a_feed(page, site_url):
    page.goto(f"{site_url}/subscribe/")
    hrefs = page.locator("main a[href*='feeds/']").evaluate_all(
        "links => links.map(link => link.href)"
    )
    # One feed, in its two formats: fewer choices than every feed the site has.
    assert len(hrefs) == 2
    assert [href.rsplit("/", 1)[1] for href in hrefs] == ["all.atom.xml", "all.rss.xml"]
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok, href
        assert response.text().lstrip().startswith("<?xml"), href


def test_the_page_has_the_subscription_services_form_by_default(site):
    tree = lxml.html.fromstring((site / "subscribe/index.html").read_text())
    (form,) = tree.xpath("//main//form")
    assert form.get("action") == "http://127.0.0.1:8001/subscribe"
    assert form.get("method") == "post"
    assert form.xpath(".//input[@type='email']")[0].get("name") == "email"
    assert tree.xpath("//main//a[starts-with(@href, 'mailto:')]") == []


def test_without_a_service_or_form_action_the_page_offers_a_mailto(tmp_path):
    digest = {"subscribe_mailto": "subscribe@example.org"}
    output = build(tmp_path / "output", extra=["-e", f"DIGEST={json.dumps(digest)}"])
    tree = lxml.html.fromstring((output / "subscribe/index.html").read_text())
    assert tree.xpath("//main//form") == []
    (link,) = tree.xpath("//main//a[starts-with(@href, 'mailto:')]")
    assert link.get("href").startswith("mailto:subscribe@example.org?subject=")
    assert "form-action 'self';" in (output / "_headers").read_text()


def test_with_a_form_action_the_page_has_the_providers_form(tmp_path):
    digest = {"subscribe_form_action": BUTTONDOWN, "subscribe_form_field": "email"}
    output = build(tmp_path / "output", extra=["-e", f"DIGEST={json.dumps(digest)}"])
    tree = lxml.html.fromstring((output / "subscribe/index.html").read_text())
    (form,) = tree.xpath("//main//form")
    assert form.get("action") == BUTTONDOWN
    assert form.get("method") == "post"
    (field,) = form.xpath(".//input[@type='email']")
    assert field.get("name") == "email" and field.get("required") is not None
    label = form.xpath(f".//label[@for='{field.get('id')}']")
    assert label and label[0].text_content().strip()
    assert tree.xpath("//main//a[starts-with(@href, 'mailto:')]") == []
