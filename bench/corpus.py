"""A synthetic corpus of essays shaped like the real ones, for benchmarks.

Deterministic (seeded): the same N gives the same files, so runs compare.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

WORDS = [
    "customer",
    "service",
    "attention",
    "listen",
    "patience",
    "respect",
    "value",
    "feeling",
    "special",
    "experience",
    "promise",
    "deliver",
    "relationship",
    "business",
    "company",
    "expectation",
    "courteous",
    "professional",
    "empathy",
    "recognition",
    "understanding",
    "every",
    "moment",
    "store",
    "phone",
    "email",
    "brand",
    "colleague",
    "extra",
    "mile",
    "appreciation",
    "trust",
    "quality",
]
TAGS = [f"topic {n}" for n in range(40)]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def essay(index: int, rng: random.Random) -> str:
    year, month = divmod(index, 12)
    published = date(2000 + year, month + 1, 1)
    series = f"Course {index // 12 + 1}"
    tags = ", ".join(rng.sample(TAGS, 3))
    body = [_paragraph(rng) for _ in range(4)]
    body.insert(2, "Here are a few things to remember:")
    body.insert(3, "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 7))))
    body.append("In order:")
    body.append("\n".join(f"{n}. {_sentence(rng)}" for n in range(1, 5)))
    body += [_paragraph(rng) for _ in range(4)]
    return (
        f"Title: Essay number {index + 1}\n"
        f"Date: {published.isoformat()} 09:00\n"
        "Category: Customer Service\n"
        f"Tags: {tags}\n"
        f"Slug: essay-{index + 1}\n"
        f"Series: {series}\n"
        f"Series_index: {index % 12 + 1}\n"
        f"Summary: {_sentence(rng)}\n\n" + "\n\n".join(body) + "\n"
    )


def write_corpus(folder: Path, count: int, seed: int = 2026) -> Path:
    """Write `count` essays into `folder`/essays."""
    rng = random.Random(seed)
    essays = folder / "essays"
    essays.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        (essays / f"{index + 1:05d}.md").write_text(essay(index, rng), "utf-8")
    return folder
