"""What each speed plugin saves: the site built with and without it, one run.

    .venv/bin/python bench/speed_layer.py [--essays 5,1000] [--runs 3]
        [--work-dir DIR] [--plugins a,b] [-e SETTING=VALUE ...]

For every corpus size and every plugin named (default: the speed plugins in
pelicanconf.py's PLUGINS), in alternating runs: a cold build (`--ignore-cache`)
and a rebuild after one essay's edit (content cache on: `make html`'s and
the devserver's case) with the site's PLUGINS, and the same with that plugin
left out. Prints the medians (wall clock and CPU) and what the plugin saves
as a share of the build with it (negative: it costs). `-e` passes settings
to every build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from build import edit_one_essay, pelican_build, quiet_disk
from corpus import write_corpus
from timing import PROJECT

sys.path.insert(0, str(PROJECT))
import pelicanconf  # noqa: E402

SPEED_PLUGINS = (
    "frozen_urls",
    "template_cache",
    "parallel_build",
    "gc_thresholds",
)
SETTINGS = PROJECT / "pelicanconf.py"


def build_pair(content: Path, work: Path, plugins: list[str], extra: list[str]):
    """A cold build, then a rebuild after one edit: wall clock and CPU seconds."""
    output, cache = work / "output", work / "cache"
    shutil.rmtree(work, ignore_errors=True)
    options = ["--cache-path", str(cache), "-e", f"PLUGINS={json.dumps(plugins)}"]
    options += extra
    quiet_disk()
    cold = pelican_build(content, output, SETTINGS, *options, "--ignore-cache")
    edit_one_essay(content)
    quiet_disk()
    warm = pelican_build(content, output, SETTINGS, *options)
    return cold.seconds, warm.seconds, cold.cpu, warm.cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", default="5,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work-dir", default=None)
    parser.add_argument("--plugins", default=None)
    parser.add_argument("-e", dest="extra", action="append", default=[])
    args = parser.parse_args()
    site = list(pelicanconf.PLUGINS)
    names = (
        args.plugins.split(",")
        if args.plugins
        else [name for name in SPEED_PLUGINS if name in site]
    )
    extra = [item for setting in args.extra for item in ("-e", setting)]
    for size in [int(n) for n in args.essays.split(",")]:
        with tempfile.TemporaryDirectory(
            prefix="bench-layer-", dir=args.work_dir
        ) as tmp:
            work = Path(tmp)
            content = write_corpus(work / "content", size)
            print(f"{size} essays, {args.runs} alternating runs, medians")
            print(f"{'left out':16} {'cold':>8} {'saves':>6} {'edit':>8} {'saves':>6}")
            for name in names:
                runs: dict[bool, list] = {True: [], False: []}
                for _ in range(args.runs):
                    for kept in (True, False):
                        plugins = site if kept else [p for p in site if p != name]
                        pair = build_pair(content, work / "b", plugins, extra)
                        runs[kept].append(pair)
                medians = {
                    kept: [
                        statistics.median(r[i] for r in runs[kept]) for i in range(4)
                    ]
                    for kept in runs
                }
                for label, first in (("wall", 0), ("CPU", 2)):
                    (cold, edit), (cold_out, edit_out) = (
                        medians[kept][first : first + 2] for kept in (True, False)
                    )
                    print(
                        f"{name + ' ' + label:16} {cold_out:7.2f}s"
                        f" {_saves(cold, cold_out)}"
                        f" {edit_out:7.2f}s {_saves(edit, edit_out)}"
                        f"   (with it: {cold:.2f} s, {edit:.2f} s)"
                    )


def _saves(with_it: float, without: float) -> str:
    return f"{(without - with_it) / with_it:+5.0%}"


if __name__ == "__main__":
    main()
