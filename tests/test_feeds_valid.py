"""Every feed of the built site: zero errors and zero warnings (tests/feed_rules.py).

Atom against RFC 4287 (a RELAX NG grammar, tests/data/atom.rng, plus the
rules a grammar cannot say), RSS against RSS 2.0; the W3C validator itself
installs from neither PyPI nor Debian. Each rule is shown to fire on a feed
made to break it, so a clean result means something.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.feed_rules import problems
from tests.test_feeds import all_feeds, fixture_site  # noqa: F401 (fixture)

ESSAYS = {
    "2026-07-01:/customer-disservice/",
    "2026-08-01:/what-does-customer-service-mean-to-you/",
    "2026-09-01:/what-your-customer-wants/",
    "2026-10-01:/customer-service-and-customer-attention/",
    "2026-11-01:/what-is-customer-service/",
}


def test_every_feed_of_the_published_site_is_clean(published_site):
    feeds = all_feeds(published_site)
    assert len(feeds) == 6  # all, category and series, Atom and RSS each
    assert [line for path in feeds for line in problems(path)] == []


def test_every_feed_of_the_development_site_is_clean(site, fixture_site):  # noqa: F811
    """The devserver's feeds, and one essay with an image (an enclosure)."""
    feeds = all_feeds(site) + all_feeds(fixture_site)
    assert any(b"<enclosure " in path.read_bytes() for path in feeds)
    assert [line for path in feeds for line in problems(path)] == []


def test_the_essays_keep_their_entry_ids(published_site):
    """Pelican's tag URIs, as before: no reader or mailer sends an essay again."""
    feeds = published_site / "feeds"
    atom = (feeds / "all.atom.xml").read_text()
    rss = (feeds / "all.rss.xml").read_text()
    for essay in ESSAYS:
        assert f"<id>tag:essays.example.org,{essay}</id>" in atom
        assert f'<guid isPermaLink="false">tag:essays.example.org,{essay}</guid>' in rss


ATOM_HEAD = '<feed xmlns="http://www.w3.org/2005/Atom">'
GOOD_ENTRY = (
    "<entry><title>T</title><link href='https://x.example/t/'/>"
    "<id>tag:x.example,2026-01-01:/t/</id>"
    "<updated>2026-01-01T00:00:00+00:00</updated>"
    "<author><name>A</name></author></entry>"
)


def atom(feed_children: str, entries: str = GOOD_ENTRY) -> str:
    return (
        f"{ATOM_HEAD}<title>F</title><id>https://x.example/</id>"
        "<updated>2026-01-01T00:00:00+00:00</updated>"
        f"{feed_children}{entries}</feed>"
    )


SELF = "<link href='https://x.example/atom.xml' rel='self'/>"


def rss(items: str, channel: str = "") -> str:
    return (
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        "<title>F</title><link>https://x.example/</link><description>D</description>"
        "<atom:link href='https://x.example/rss.xml' rel='self'/>"
        f"{channel}{items}</channel></rss>"
    )


def item(inner: str = "") -> str:
    return f"<item><title>T</title><link>https://x.example/t/</link>{inner}</item>"


GUID = "<guid isPermaLink='false'>tag:x.example,2026-01-01:/t/</guid>"
BROKEN = [
    (atom(SELF), None),
    (rss(item(GUID)), None),
    # The W3C validator's two findings on Pelican's feeds before issue 15:
    (rss(item("<guid>tag:x.example,2026-01-01:/t/</guid>")), "guid must be a full"),
    (atom(SELF, GOOD_ENTRY.replace("<author><name>A</name></author>", "")), "author"),
    (atom(SELF, GOOD_ENTRY.replace("<name>A</name>", "<name> </name>")), "blank"),
    (atom(""), 'no atom:link rel="self"'),
    (atom(SELF, GOOD_ENTRY.replace("+00:00</updated>", "</updated>")), "dateTime"),
    (atom(SELF, GOOD_ENTRY.replace("<title>T</title>", "")), "extra content: entry"),
    (atom(SELF, GOOD_ENTRY * 2), "the id of line"),
    (atom(SELF, GOOD_ENTRY.replace(",2026-01-01:", ",26:")), "not a tag URI"),
    (
        atom(
            SELF,
            GOOD_ENTRY.replace(
                "<link href='https://x.example/t/'/>",
                "<content type='html'>&lt;a href='../t/'&gt;x&lt;/a&gt;</content>",
            ),
        ),
        "relative URL in the HTML",
    ),
    (
        atom(SELF, GOOD_ENTRY.replace("<link href='https://x.example/t/'/>", "")),
        "no content and no alternate link",
    ),
    (rss(item(GUID + "<pubDate>Mon, 01 Nov 2026 09:00:00 +0000</pubDate>")), "Sunday"),
    (rss(item(GUID + "<pubDate>01 Nov 26 09:00 +0000</pubDate>")), "RFC 822"),
    (rss(item(GUID + "<wrong>x</wrong>")), "not an RSS 2.0 item element"),
    (rss(item(GUID), channel="<item><guid>x</guid></item>"), "title or a description"),
    (
        rss(item(GUID + "<enclosure url='https://x.example/a.png' type='image/png'/>")),
        "length",
    ),
    (rss(item(GUID + "<author>Ann</author>")), "email address"),
    (
        rss(item(GUID + "<description>&lt;script&gt;x&lt;/script&gt;</description>")),
        "<script>",
    ),
    (
        rss(
            item(GUID + "<description>&lt;img src='a.png' onload='x'&gt;</description>")
        ),
        "onload",
    ),
    (rss(item(GUID + GUID)), "a second <guid>"),
    (rss(item(GUID)).replace("<description>D</description>", ""), "no description"),
]


@pytest.mark.parametrize(("feed", "finding"), BROKEN)
def test_each_rule_fires_on_a_feed_that_breaks_it(tmp_path, feed, finding):
    path: Path = tmp_path / "feed.xml"
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n{feed}')
    found = problems(path)
    if finding is None:
        assert found == []
    else:
        assert found and any(finding in line for line in found), found
        assert all(line.startswith(("error: ", "warning: ")) for line in found)
        assert all(f"{path}:" in line for line in found)
