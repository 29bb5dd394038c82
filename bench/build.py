"""Build speed at scale: the full site against plain Pelican on one corpus.

    .venv/bin/python bench/build.py [--essays 1000] [--runs 3] [--work-dir DIR]

Builds a synthetic corpus (bench/corpus.py) with (a) the site's own settings
(theme, plugins, search index) and (b) plain Pelican (no plugins, its default
theme), in alternating cold runs, and prints the medians and their ratio. Then
a rebuild after editing one essay with the content cache on, as a ratio to the
site's cold build, and peak memory at several corpus sizes.

The devserver's case is measured too, as `make devserver` runs it after a
save: the rebuild without the search index in a fresh `python -m pelican`
(what the page reload waits for), then the Pagefind run it starts after the
reload, each as a ratio to the site's cold build and in seconds (goal: the
save shown within 1 s).

Each figure is given twice: wall clock, and CPU time (user + system, Pagefind's
included), which a busy machine disturbs less; read the ratios, not the
seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
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

sys.path.insert(0, str(PROJECT))

from authoring.devserver import DEVSERVER_SETTINGS, NO_INDEX_IN_BUILD  # noqa: E402
from authoring.search_index import SearchIndex  # noqa: E402

BENCH = PROJECT / "bench"
# This process (it deletes the replaced bundle) and Pagefind.
WHO = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)


class Build(NamedTuple):
    seconds: float  # wall clock
    cpu: float  # user + system, Pagefind's included
    peak_kib: int  # peak resident memory of the Pelican process


def pelican_arguments(
    content: Path, output: Path, settings: Path, *options: str
) -> list[str]:
    """Pelican's command line for a quiet build of `content` into `output`."""
    return [str(content), "-o", str(output), "-s", str(settings), "-q", *options]


def pelican_build(content: Path, output: Path, settings: Path, *options: str) -> Build:
    """One build in a fresh interpreter."""
    command = [
        sys.executable,
        str(BENCH / "measure_build.py"),
        *pelican_arguments(content, output, settings, *options),
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed ({settings.name}):\n{result.stderr[-3000:]}")
    peak = int(re.search(r"PEAK_RSS_KIB=(\d+)", result.stderr).group(1))
    cpu = float(re.search(r"CPU_SECONDS=([\d.]+)", result.stderr).group(1))
    return Build(elapsed, cpu, peak)


def quiet_disk() -> None:
    """Untimed, before a timed build: the disk writes what earlier runs left
    it (a deleted output, the files just written), so that their writeback
    is not counted in the next run, whichever it is."""
    os.sync()


def cold(content: Path, work: Path, settings: Path) -> Build:
    output = work / "output"
    shutil.rmtree(output, ignore_errors=True)
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    quiet_disk()
    return pelican_build(
        content, output, settings, "--cache-path", str(cache), "--ignore-cache"
    )


def index_run(output: Path) -> Build:
    """The devserver's Pagefind run after a build (authoring/search_index.py):
    the CLI into a folder of its own, then swapped in for the served bundle."""
    before = [resource.getrusage(who) for who in WHO]
    started = time.perf_counter()
    if not asyncio.run(SearchIndex(output, say=lambda _: None).run()):
        sys.exit("the devserver's index run failed")
    elapsed = time.perf_counter() - started
    cpu = sum(
        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        for before, after in zip(
            before, [resource.getrusage(who) for who in WHO], strict=True
        )
    )
    return Build(elapsed, cpu, 0)


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
        "--work-dir",
        default=None,
        help="where the corpus and the builds go (default: the system's temporary "
        "folder); creating folders is slow on some disks, and the site makes one "
        "per essay",
    )
    parser.add_argument(
        "--memory-sizes",
        default="250,500,1000",
        help="corpus sizes for the peak-memory line (comma-separated)",
    )
    args = parser.parse_args()

    site_settings = PROJECT / "pelicanconf.py"
    plain_settings = BENCH / "plain_pelicanconf.py"
    with tempfile.TemporaryDirectory(prefix="bench-build-", dir=args.work_dir) as tmp:
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
            quiet_disk()
            rebuilds.append(
                pelican_build(content, out, site_settings, "--cache-path", str(cache))
            )
        rebuild = _line("one-essay edit", rebuilds)
        print(
            f"edit / cold     {rebuild[0] / site[0]:.2f}x"
            f"{'':22}{rebuild[1] / site[1]:.2f}x   (goal <= 0.35x)"
        )

        # The same edit as `make devserver` handles it: the rebuild without
        # the index (its own cache and settings), the reload, then the index.
        dev_rebuilds: list[Build] = []
        dev_indexes: list[Build] = []
        devserver = ["-e", *DEVSERVER_SETTINGS, NO_INDEX_IN_BUILD]
        for _ in range(args.runs):
            out, cache = work / "dev" / "output", work / "dev" / "cache"
            shutil.rmtree(work / "dev", ignore_errors=True)
            options = ["--cache-path", str(cache), *devserver]
            pelican_build(content, out, site_settings, *options)
            index_run(out)
            edit_one_essay(content)
            quiet_disk()
            dev_rebuilds.append(pelican_build(content, out, site_settings, *options))
            dev_indexes.append(index_run(out))
        print(
            "make devserver, after the same edit (the reload waits for the rebuild;"
            " goal: within 1 s):"
        )
        dev = _line("  rebuild", dev_rebuilds)
        index = _line("  index after", dev_indexes)
        print(
            f"  rebuild / cold  {dev[0] / site[0]:.2f}x"
            f"{'':20}{dev[1] / site[1]:.2f}x   (what the reload waits for)"
        )
        print(
            f"  index / cold    {index[0] / site[0]:.2f}x"
            f"{'':20}{index[1] / site[1]:.2f}x   (after the reload, in the background)"
        )

    print("peak memory of a cold full-site build (linear growth: a steady slope):")
    previous: tuple[int, float] | None = None
    for size in [int(n) for n in args.memory_sizes.split(",")]:
        folder = tempfile.TemporaryDirectory(prefix="bench-memory-", dir=args.work_dir)
        with folder as tmp:
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
