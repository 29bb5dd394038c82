"""The digest email itself: golden file, MIME structure, size, the browser view."""

from __future__ import annotations

import os
import re
from email import message_from_bytes, policy
from pathlib import Path

import lxml.html
import pytest

from digest.feed import read_feed
from digest.mime import MessageTemplate
from digest.render import SUMMARIES, render_digest
from digest.subscribers import Subscriber
from tests.digest_support import NOW, SETTINGS, FeedEntry, digest_settings, write_feed
from tests.sitebuild import PROJECT, run_module

GOLDEN = Path(__file__).parent / "golden" / "digest.eml"
TEMPLATES = PROJECT / "theme" / "email"
SCREENSHOTS = PROJECT / "screenshots"

ENTRIES = [
    FeedEntry(
        "what-your-customer-wants",
        "Customer Service, Good Manners & What Your Customer Wants",
        "2026-10-25",
        html="<p>Say <em>please</em> and <a href='../quick-reference/'>thank you</a>."
        "</p><ul><li>Listen.</li><li>Follow up.</li></ul>",
        summary="<p>Good manners, first.</p>",
    ),
    FeedEntry(
        "what-is-customer-service",
        "What is Customer Service?",
        "2026-11-01",
        html="<p>It is a thing of today, not of the past.</p>",
    ),
]


def normalised(raw: bytes) -> bytes:
    """The message with its random parts (Message-ID, boundary) fixed."""
    # make_msgid's random part varies in length, and a long one folds the
    # header onto a second line: normalise the folding too.
    raw = re.sub(rb"(?im)^Message-ID:\s*<[^>]+>", b"Message-ID: <MESSAGE-ID>", raw)
    return re.sub(rb"=_digest_[0-9a-f]{32}", b"=_digest_BOUNDARY", raw)


def rendered_message(tmp_path: Path, subscriber: Subscriber, **settings) -> bytes:
    feed = read_feed(str(write_feed(tmp_path / "feed.xml", ENTRIES)))
    config = digest_settings(**settings)
    rendered = render_digest(
        feed,
        feed.entries,
        templates=TEMPLATES,
        title=None,
        max_html_bytes=config.max_html_bytes,
    )
    return MessageTemplate(config, rendered, NOW, digest_id="golden").message_for(
        subscriber
    )


def test_the_email_matches_the_golden_file(tmp_path):
    raw = normalised(
        rendered_message(tmp_path, Subscriber("ada@example.org", "Ada Lovelace"))
    )
    if os.environ.get("UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(raw)
        pytest.skip(f"wrote {GOLDEN}: review it and commit it")
    assert raw == GOLDEN.read_bytes(), (
        f"the email differs from {GOLDEN}; if the change is intended, rerun "
        "with UPDATE_GOLDEN=1 and review the diff"
    )


LONG = "a.very.long.name.of.a.subscriber.with.many.parts+digest@mail.example.org"


@pytest.mark.parametrize(
    ("subscriber", "unsubscribe_url"),
    [
        (
            Subscriber("zoe@example.org", "Zoë Ünïcode, Jr."),
            SETTINGS["unsubscribe_url"],
        ),
        # Values longer than a quoted-printable line, with "=" and "&" in them.
        (
            Subscriber(LONG, "Long"),
            "https://essays.example.org/u/{token}?e={email}&list=digest&x=" + "y" * 90,
        ),
    ],
)
def test_the_message_parses_back_to_what_was_rendered(
    tmp_path, monkeypatch, subscriber, unsubscribe_url
):
    monkeypatch.setenv("DIGEST_SECRET", "a-test-secret-of-32-characters!!")
    feed = read_feed(str(write_feed(tmp_path / "feed.xml", ENTRIES)))
    rendered = render_digest(
        feed, feed.entries, templates=TEMPLATES, title=None, max_html_bytes=100_000
    )
    settings = digest_settings(unsubscribe_url=unsubscribe_url)
    template = MessageTemplate(settings, rendered, NOW, digest_id="test")
    raw = template.message_for(subscriber)
    message = message_from_bytes(raw, policy=policy.default)
    text, html = template.bodies(subscriber)

    def decoded(kind: str) -> str:
        # Quoted-printable's hard line breaks are CRLF on the wire and stay so
        # when decoded, as for a message the email package makes itself.
        content = message.get_body((kind,)).get_content()
        return content.replace("\r\n", "\n").rstrip("\n")

    assert decoded("plain") == text.rstrip("\n")
    assert decoded("html") == html.rstrip("\n")
    assert subscriber.email in text
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == (subscriber.name, subscriber.email)
    assert message.defects == []
    assert all(not part.defects for part in message.walk())
    # RFC 5322: 998 at most (List-Unsubscribe and Message-ID are never
    # folded inside <...>); quoted-printable bodies keep to 76.
    head, body = raw.split(b"\r\n\r\n", 1)
    assert max(len(line) for line in head.split(b"\r\n")) <= 998
    assert max(len(line) for line in body.split(b"\r\n")) <= 78
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_too_big_for_gmail_falls_back_to_summaries_and_links(site):
    feed = read_feed(str(site / "feeds/all.atom.xml"))
    full = render_digest(
        feed, feed.entries, templates=TEMPLATES, title=None, max_html_bytes=100_000
    )
    small = render_digest(
        feed, feed.entries, templates=TEMPLATES, title=None, max_html_bytes=20_000
    )
    last_words = "I can’t wait to share what my research has revealed."
    assert full.mode == "full" and last_words in full.html
    assert small.mode == SUMMARIES
    assert len(small.html.encode()) <= 20_000 - 1024
    assert last_words not in small.html and last_words not in small.text
    for entry in feed.entries:
        assert f'href="{entry.link}"' in small.html
        assert f"Read the essay: {entry.link}" in small.text


def test_preview_writes_html_and_text_files(tmp_path, site):
    settings_file = tmp_path / "digestconf.py"
    settings_file.write_text(f"DIGEST = {SETTINGS!r}\n")
    output = tmp_path / "preview" / "digest.html"
    result = run_module(
        "digest",
        "--settings",
        str(settings_file),
        "preview",
        "--feed",
        str(site / "feeds/all.atom.xml"),
        "--since",
        "2026-01-01",
        "--output",
        str(output),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    html = output.read_text()
    assert "5 new essays, July–November 2026" in html
    assert "reader%40example.org" in html
    assert "Customer Disservice" in output.with_suffix(".txt").read_text()


@pytest.mark.parametrize(
    ("scheme", "background"),
    [("light", "rgb(243, 241, 236)"), ("dark", "rgb(18, 20, 23)")],
)
def test_screenshot_in_chromium_light_and_dark(
    browser, site, tmp_path, scheme, background
):
    feed = read_feed(str(site / "feeds/all.atom.xml"))
    rendered = render_digest(
        feed, feed.entries[-2:], templates=TEMPLATES, title=None, max_html_bytes=100_000
    )
    template = MessageTemplate(digest_settings(), rendered, NOW, digest_id="test")
    _text, html = template.bodies(Subscriber("ada@example.org", "Ada"))
    page_file = tmp_path / "digest.html"
    page_file.write_text(html)
    context = browser.new_context(
        color_scheme=scheme, viewport={"width": 760, "height": 1000}
    )
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == (
            background
        )
        link = page.locator(".footer a").first
        assert link.inner_text() == "Unsubscribe"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"digest-{scheme}.png"), full_page=True)
        context.set_default_timeout(5000)
        page.set_viewport_size({"width": 390, "height": 800})
        # Narrow screens: nothing wider than the viewport.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SCREENSHOTS / f"digest-{scheme}-phone.png"))
    finally:
        context.close()


def test_several_essays_are_listed_at_the_top_and_nothing_is_hidden(tmp_path):
    raw = rendered_message(tmp_path, Subscriber("ada@example.org", "Ada"))
    message = message_from_bytes(raw, policy=policy.default)
    html = message.get_body(("html",)).get_content()
    tree = lxml.html.fromstring(html)
    contents = [a.get("href") for a in tree.xpath("//ul[@class='contents']//a")]
    assert contents == [f"https://essays.example.org/{e.slug}/" for e in ENTRIES]
    read_on = tree.xpath("//p[@class='read-on']/a")
    assert len(read_on) == len(ENTRIES)
    # No hidden preheader, which spam filters score as hidden low-contrast text.
    assert "display: none" not in html and "display:none" not in html
    text = message.get_body(("plain",)).get_content()
    assert "- " + ENTRIES[0].title in text
