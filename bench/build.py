"""Build speed at scale: the full site against plain Pelican on one corpus.

    .venv/bin/python bench/build.py [--essays 1000] [--runs 3]

Builds a synthetic corpus (bench/corpus.py) with (a) the site's own settings
(theme, plugins, search index) and (b) plain Pelican (no plugins, its default
theme), in alternating cold runs, and prints the medians and their ratio. Then
a rebuild after editing one essay with the content cache on, as a ratio to the
site's cold build, and peak memory at several corpus sizes.

Each figure is given twice: wall clock, and CPU time (user + system, Pagefind's
included), which a busy machine disturbs less; read the ratios, not the
seconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from corpus import write_corpus
from timing import PROJECT, listed

BENCH = PROJECT / "bench"


class Build(NamedTuple):
    seconds: float  # wall clock
    cpu: float  # user + system, Pagefind's included
    peak_kib: int  # peak resident memory of the Pelican process


def pelican_build(content: Path, output: Path, settings: Path, *options: str) -> Build:
    """One build in a fresh interpreter."""
    command = [
        sys.executable,
        str(BENCH / "measure_build.py"),
        str(content),
        "-o",
        str(output),
        "-s",
        str(settings),
        "-q",
        *options,
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed ({settings.name}):\n{result.stderr[-3000:]}")
    peak = int(re.search(r"PEAK_RSS_KIB=(\d+)", result.stderr).group(1))
    cpu = float(re.search(r"CPU_SECONDS=([\d.]+)", result.stderr).group(1))
    return Build(elapsed, cpu, peak)


def cold(content: Path, work: Path, settings: Path) -> Build:
    output = work / "output"
    shutil.rmtree(output, ignore_errors=True)
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    return pelican_build(
        content, output, settings, "--cache-path", str(cache), "--ignore-cache"
    )


def edit_one_essay(content: Path) -> None:
    """A typical edit: a sentence more in an essay in the middle of the corpus
    (its body only: title, date, tags and summary stay)."""
    essays = sorted((content / "essays").glob("*.md"))
    essay = essays[len(essays) // 2]
    text = essay.read_text("utf-8")
    essay.write_text(text + "\nOne more sentence, added by the benchmark.\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--memory-sizes",
        default="250,500,1000",
        help="corpus sizes for the peak-memory line (comma-separated)",
    )
    args = parser.parse_args()

    site_settings = PROJECT / "pelicanconf.py"
    plain_settings = BENCH / "plain_pelicanconf.py"
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        content = write_corpus(work / "content", args.essays)

        site_runs: list[Build] = []
        plain_runs: list[Build] = []
        for _ in range(args.runs):
            plain_runs.append(cold(content, work / "plain", plain_settings))
            site_runs.append(cold(content, work / "site", site_settings))
        print(f"corpus: {args.essays} essays, {args.runs} alternating cold runs each")
        print("                wall clock                 CPU (user + system)")
        plain, site = _line("plain Pelican", plain_runs), _line("full site", site_runs)
        print(
            f"full / plain    {site[0] / plain[0]:.2f}x"
            f"{'':22}{site[1] / plain[1]:.2f}x   (goal <= 1.25x)"
        )

        # Rebuild after one edit, content cache on (the devserver's case).
        rebuilds: list[Build] = []
        for _ in range(args.runs):
            out, cache = work / "warm" / "output", work / "warm" / "cache"
            shutil.rmtree(work / "warm", ignore_errors=True)
            pelican_build(content, out, site_settings, "--cache-path", str(cache))
            edit_one_essay(content)
            rebuilds.append(
                pelican_build(content, out, site_settings, "--cache-path", str(cache))
            )
        rebuild = _line("one-essay edit", rebuilds)
        print(
            f"edit / cold     {rebuild[0] / site[0]:.2f}x"
            f"{'':22}{rebuild[1] / site[1]:.2f}x   (goal <= 0.35x)"
        )

    print("peak memory of a cold full-site build (linear growth: a steady slope):")
    previous: tuple[int, float] | None = None
    for size in [int(n) for n in args.memory_sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
            work = Path(tmp)
            content = write_corpus(work / "content", size)
            peak = cold(content, work / "site", site_settings).peak_kib / 1024
        slope = ""
        if previous:
            per_essay = (peak - previous[1]) / (size - previous[0]) * 1024
            slope = f"  +{per_essay:5.1f} KiB per added essay"
        print(f"  {size:6d} essays  {peak:7.1f} MiB{slope}")
        previous = (size, peak)


def _line(label: str, runs: list[Build]) -> tuple[float, float]:
    """Print the medians (and every run) of wall clock and CPU; return them."""
    wall = statistics.median(run.seconds for run in runs)
    cpu = statistics.median(run.cpu for run in runs)
    print(
        f"{label:15} {wall:6.2f} s {listed([r.seconds for r in runs]):20}"
        f" {cpu:6.2f} s {listed([r.cpu for r in runs])}"
    )
    return wall, cpu


if __name__ == "__main__":
    main()
