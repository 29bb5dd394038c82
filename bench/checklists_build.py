"""The checklists plugin's cost: the site built with and without it.

A synthetic corpus of 1,000 essays with lists (bench/corpus.py), built by the
Pelican command line in alternating runs, with and without `checklists` in
PLUGINS (the other plugins as in pelicanconf.py; Pagefind is left out of all,
it is not this plugin's cost), plus a third variant that extracts but writes
neither the quick-reference page nor the JSON. Prints each median and the
ratios; goal <= 1.25 (issue 13). Beside the wall-clock medians, the CPU
time of each build (its processes' user + system time): on a machine shared
with other work the wall clock swings with their load, the CPU time much
less.

    .venv/bin/python bench/checklists_build.py [--essays 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus, write_settings
from timing import PROJECT, listed, pelican_command


def _site_plugins() -> list[str]:
    sys.path.insert(0, str(PROJECT))
    import pelicanconf

    return list(pelicanconf.PLUGINS)


# The site's plugins (the theme needs reading_time, series_nav ...), less
# Pagefind, whose cost is not this plugin's; the checklists plugin stays in its
# place in PLUGINS (the order rules: essay_outline must come after it).
WITH_PLUGINS = [p for p in _site_plugins() if p != "pagefind_search"]
BASE_PLUGINS = [p for p in WITH_PLUGINS if p != "checklists"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_seconds(content: Path, output: Path, settings: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one build (its worker processes
    included: they are waited for, so their time is counted)."""
    command = pelican_command(content, output, settings, "--ignore-cache", "-q")
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)
    return time.perf_counter() - started, _children_cpu() - cpu


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
            "with": write_settings(folder / "with", WITH_PLUGINS),
            # Extraction and ids only: no quick-reference page, no JSON.
            "extract-only": write_settings(
                folder / "extract-only",
                WITH_PLUGINS,
                'CHECKLISTS = {"page_url": "", "page_save_as": "", "json_save_as": ""}',
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in variants}
        cpu: dict[str, list[float]] = {name: [] for name in variants}
        # One warm-up build each (imports, disk cache), then alternate.
        for name, settings in variants.items():
            build_seconds(content, folder / f"out-{name}", settings)
        for run in range(args.runs):
            order = list(variants)
            # Rotate the order, so no variant always runs first or last.
            order = order[run % len(order) :] + order[: run % len(order)]
            for name in order:
                output = folder / f"out-{name}"
                wall, used = build_seconds(content, output, variants[name])
                times[name].append(wall)
                cpu[name].append(used)
        items = (
            (folder / "out-with" / "checklists.json")
            .read_text("utf-8")
            .count('"depth"')
        )
    print(f"essays: {args.essays}, checklist items: {items}, runs: {args.runs} each")
    for label, measured in (("wall clock", times), ("CPU time", cpu)):
        medians = {name: statistics.median(values) for name, values in measured.items()}
        print(f"{label}:")
        for name, values in measured.items():
            print(f"{name:>13}: median {medians[name]:.2f} s  {listed(values)}")
        without = medians["without"]
        print(
            f"ratio with/without ({label}): {medians['with'] / without:.3f}x "
            "(goal <= 1.25x)"
        )
        print(
            f"ratio extract-only/without ({label}): "
            f"{medians['extract-only'] / without:.3f}x "
            "(ids and extraction, without writing the page and the JSON)"
        )


if __name__ == "__main__":
    main()
