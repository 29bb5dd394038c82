"""A synthetic corpus for the benchmarks: N essays, each with checklists.

Every essay has an automatic list (4 items), a marked list with a title and a
prose list of 4 items: 10 checklist items an essay, so 1,000 essays give the
quick-reference page 10,000 items. Essays form series of 12 parts.
"""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "customer",
    "service",
    "attention",
    "listen",
    "respect",
    "patience",
    "empathy",
    "value",
    "feel",
    "special",
    "promise",
    "deliver",
    "pressure",
    "understand",
    "family",
    "focus",
    "center",
    "help",
    "experience",
    "company",
    "brand",
    "manners",
    "courtesy",
    "professional",
    "smile",
    "phone",
    "email",
    "store",
    "sale",
    "product",
    "question",
    "answer",
    "trust",
    "care",
    "kind",
    "fair",
    "Zoë",
    "café",
    "naïve",
]

PROJECT = Path(__file__).resolve().parent.parent
# Essays come in series of a year's worth each, as an author ten years in
# would write them: the theme lists every part of a series on each of its
# essays, so one series of 1,000 parts would cost N squared, unlike any site.
SERIES_LENGTH = 12


GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def essay(number: int, rng: random.Random) -> str:
    paragraphs = [" ".join(sentence(rng, rng.randint(8, 16)) for _ in range(5))]
    paragraphs.append("Here is what to do:")
    paragraphs.append("\n".join(f"- {sentence(rng, 7)}" for _ in range(4)))
    paragraphs.append(" ".join(sentence(rng, 12) for _ in range(4)))
    paragraphs.append(
        "\n".join(f"- {sentence(rng, 6)}" for _ in range(2))
        + f'\n{{: .checklist title="Routine {number}" }}'
    )
    items = [phrase(rng, rng.randint(1, 3)) for _ in range(4)]
    prose = ", ".join(items[:-1]) + ", and " + items[-1]
    paragraphs.append(
        f"Some needs include; [{prose}]{{: .checklist }}. " + sentence(rng, 10)
    )
    paragraphs.append(" ".join(sentence(rng, 14) for _ in range(6)))
    month, day = divmod(number, 28)
    header = (
        f"Title: Essay number {number}\n"
        f"Date: {2000 + month // 12}-{month % 12 + 1:02d}-{day + 1:02d} 09:00\n"
        "Category: Customer Service\n"
        f"Tags: {rng.choice(WORDS)}, {rng.choice(WORDS)}\n"
        f"Slug: essay-{number}\n"
        f"Series: Synthetic {number // SERIES_LENGTH + 1}\n"
        f"Series_index: {number % SERIES_LENGTH + 1}\n"
        f"Summary: {sentence(rng, 12)}\n"
    )
    return header + "\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, essays: int, seed: int = 4) -> Path:
    rng = random.Random(seed)
    (folder / "essays").mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    for number in range(essays):
        (folder / "essays" / f"{number:04d}.md").write_text(essay(number, rng), "utf-8")
    return folder


def write_settings(folder: Path, plugins: list[str], extra: str = "") -> Path:
    """Settings: the project's, with these plugins and absolute paths."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "settings.py"
    path.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(PROJECT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"PLUGIN_PATHS = {PLUGIN_FOLDERS!r}\n"
        f"THEME = {str(PROJECT / 'theme')!r}\n"
        f"PLUGINS = {plugins!r}\n"
        "LOAD_CONTENT_CACHE = False\n"
        "CACHE_CONTENT = False\n" + extra + "\n",
        "utf-8",
    )
    return path
