"""The checklists plugin's cost: the site built with and without it.

A synthetic corpus of 1,000 essays with lists (bench/corpus.py), built by the
Pelican command line in alternating runs, with and without `checklists` in
PLUGINS (the other plugins as in pelicanconf.py; Pagefind is left out of all,
it is not this plugin's cost), plus a third variant that extracts but writes
neither the quick-reference page nor the JSON. Prints each median and the
ratios; goal <= 1.25 (issue 13).

    .venv/bin/python bench/checklists_build.py [--essays 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from corpus import write_corpus, write_settings
from timing import PROJECT, listed, pelican_command, seconds


def _site_plugins() -> list[str]:
    sys.path.insert(0, str(PROJECT))
    import pelicanconf

    return list(pelicanconf.PLUGINS)


# The site's plugins (the theme needs reading_time, series_nav ...), less this
# one and Pagefind, whose cost is not this plugin's.
BASE_PLUGINS = [
    p for p in _site_plugins() if p not in ("checklists", "pagefind_search")
]


def build_seconds(content: Path, output: Path, settings: Path) -> float:
    return seconds(pelican_command(content, output, settings, "--ignore-cache", "-q"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        content = write_corpus(folder / "content", args.essays)
        variants = {
            "without": write_settings(folder / "without", BASE_PLUGINS),
            "with": write_settings(folder / "with", [*BASE_PLUGINS, "checklists"]),
            # Extraction and ids only: no quick-reference page, no JSON.
            "extract-only": write_settings(
                folder / "extract-only",
                [*BASE_PLUGINS, "checklists"],
                'CHECKLISTS = {"page_url": "", "page_save_as": "", "json_save_as": ""}',
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in variants}
        # One warm-up build each (imports, disk cache), then alternate.
        for name, settings in variants.items():
            build_seconds(content, folder / f"out-{name}", settings)
        for run in range(args.runs):
            order = list(variants)
            # Rotate the order, so no variant always runs first or last.
            order = order[run % len(order) :] + order[: run % len(order)]
            for name in order:
                output = folder / f"out-{name}"
                times[name].append(build_seconds(content, output, variants[name]))
        items = (
            (folder / "out-with" / "checklists.json")
            .read_text("utf-8")
            .count('"depth"')
        )
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"essays: {args.essays}, checklist items: {items}, runs: {args.runs} each")
    for name, values in times.items():
        print(f"{name:>13}: median {medians[name]:.2f} s  {listed(values)}")
    without = medians["without"]
    print(f"ratio with/without: {medians['with'] / without:.3f}x (goal <= 1.25x)")
    print(
        f"ratio extract-only/without: {medians['extract-only'] / without:.3f}x "
        "(ids and extraction, without writing the page and the JSON)"
    )


if __name__ == "__main__":
    main()
