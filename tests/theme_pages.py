"""Every page type the theme renders, by output path (shared by the theme tests)."""

from __future__ import annotations

PAGE_TYPES = {
    "home": "index.html",
    "essay": "what-your-customer-wants/index.html",
    "essay-first": "customer-disservice/index.html",
    "archives": "archives/index.html",
    "tags": "tags/index.html",
    "tag": "tag/make-it-happen/index.html",
    "categories": "categories/index.html",
    "category": "category/customer-service/index.html",
    "authors": "authors/index.html",
    "author": "author/chris-draper/index.html",
    "series": "series/index.html",
    "about": "about/index.html",
    "subscribe": "subscribe/index.html",
    "quick-reference": "quick-reference/index.html",
    "404": "404.html",
}

# The five essays in course order: (slug, title).
COURSE = [
    ("customer-disservice", "Customer Disservice"),
    (
        "what-does-customer-service-mean-to-you",
        "What does customer service mean to you?",
    ),
    (
        "what-your-customer-wants",
        "Customer Service, Good Manners and What Your Customer Wants",
    ),
    (
        "customer-service-and-customer-attention",
        "What’s the Difference Between Customer Service and Customer Attention?",
    ),
    ("what-is-customer-service", "What is Customer Service?"),
]


def url_path(output_path: str) -> str:
    """The address a reader types for an output file: /slug/ for slug/index.html."""
    return "/" + output_path.removesuffix("index.html")
