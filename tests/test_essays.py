"""The five essays: every one published, with its title and all its words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

SEEDS = Path(__file__).parent / "data" / "seeds"

# seed file -> (slug, title as published, lines that are metadata or blog chrome)
ESSAYS = {
    "001_ef8b7d4631d1db71.txt": (
        "customer-disservice",
        "Customer Disservice",
        {"Customer Disservice"},
    ),
    "003_2512e439386cd4d3.txt": (
        "what-does-customer-service-mean-to-you",
        "What does customer service mean to you?",
        {"What does customer service mean to you?"},
    ),
    "000_7cb8000f249c4a7e.txt": (
        "what-your-customer-wants",
        "Customer Service, Good Manners and What Your Customer Wants",
        set(),
    ),
    "004_318ef9c1ded13187.txt": (
        "customer-service-and-customer-attention",
        "What’s the Difference Between Customer Service and Customer Attention?",
        {"What's the Difference Between Customer Service and Customer Attention?"},
    ),
    "002_f06840d10e0bc369.txt": (
        "what-is-customer-service",
        "What is Customer Service?",
        {"What is Customer Service?"},
    ),
}

# What the scraped blogs wrapped around the essays; none of it is published.
CHROME = [
    "Enter your email address to follow this blog",
    "Leave a Comment",
    "Fill in your details below",
    "You are commenting using",
    "Twitter picture",
    "Facebook photo",
    "Google+ photo",
    "Connecting to %s",
    "No comments:",
    "Post a Comment",
]


def comparable(text: str) -> str:
    """Text with typography and spacing normalised, so only the words count."""
    for fancy, plain in {
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "—": "-",
        "–": "-",
        "--": "-",
        "…": "...",
        "•": "",
    }.items():
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", "", text)


def page_text(site: Path, slug: str) -> str:
    html = (site / slug / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").get_text(" ")


def seed_lines(name: str) -> list[str]:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


@pytest.mark.parametrize("seed", ESSAYS, ids=[slug for slug, *_ in ESSAYS.values()])
def test_every_word_of_the_essay_is_published(site, seed):
    slug, _title, metadata_lines = ESSAYS[seed]
    published = comparable(page_text(site, slug))
    kept = [
        line
        for line in seed_lines(seed)
        if line not in metadata_lines
        and not any(line.startswith(chrome) for chrome in CHROME)
    ]
    assert kept, "the seed has no text left to compare"
    missing = [line for line in kept if comparable(line) not in published]
    assert missing == []


@pytest.mark.parametrize("seed", ESSAYS, ids=[slug for slug, *_ in ESSAYS.values()])
def test_blog_chrome_is_removed(site, seed):
    slug, *_ = ESSAYS[seed]
    text = page_text(site, slug)
    assert [chrome for chrome in CHROME if chrome in text] == []


@pytest.mark.parametrize("seed", ESSAYS, ids=[slug for slug, *_ in ESSAYS.values()])
def test_the_essay_has_its_title_as_the_only_h1(site, seed):
    slug, title, _ = ESSAYS[seed]
    html = (site / slug / "index.html").read_text(encoding="utf-8")
    headings = BeautifulSoup(html, "html.parser").find_all("h1")
    assert [h.get_text(strip=True) for h in headings] == [title]


def test_only_the_named_author_is_credited(site):
    credited = {
        slug: "Chris Draper" in page_text(site, slug) for slug, *_ in ESSAYS.values()
    }
    assert credited == {
        slug: slug == "what-your-customer-wants" for slug, *_ in ESSAYS.values()
    }


def test_the_make_it_happen_tips_are_a_real_list(site):
    html = (site / "what-is-customer-service" / "index.html").read_text("utf-8")
    items = BeautifulSoup(html, "html.parser").select(".essay-body ul > li")
    assert [li.get_text().split()[0:2] for li in items] == [
        ["Don’t", "promise"],
        ["Don’t", "pressure"],
        ["Don’t", "just"],
        ["Make", "me"],
    ]


def test_source_lines_give_the_facts_the_texts_state(site):
    assert "© 2012 DemGen All Rights Reserved" in page_text(
        site, "what-your-customer-wants"
    )
    assert "Expert of the Month" in page_text(site, "what-your-customer-wants")
    assert "March 2, 2011" in page_text(site, "customer-service-and-customer-attention")


def test_the_essays_are_one_series_a_month_apart(site):
    from datetime import date

    dates = []
    for slug, *_ in ESSAYS.values():
        html = (site / slug / "index.html").read_text("utf-8")
        stamp = BeautifulSoup(html, "html.parser").select_one("article time")
        dates.append(date.fromisoformat(stamp["datetime"][:10]))
    assert dates == sorted(dates)
    months = [(d.year * 12 + d.month) for d in dates]
    assert [b - a for a, b in zip(months, months[1:], strict=False)] == [1, 1, 1, 1]
