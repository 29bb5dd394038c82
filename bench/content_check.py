"""What `make check`'s engine costs inside the build (plugins/machinery/content_check).

    .venv/bin/python bench/content_check.py [--essays N] [--runs R]

1. The engine as the build runs it (checklist markup left out) over the
   synthetic corpus of N essays (bench/corpus.py): CPU seconds, in this
   process.
2. Cold builds of the same corpus with the site's plugins, with and without
   content_check, alternating in one run: the ratio of their medians, in
   wall-clock seconds and in CPU seconds (the build's processes together,
   which a busy machine disturbs less).
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

sys.path.insert(0, str(PROJECT))

from authoring.check import check_project  # noqa: E402
from authoring.project import load_project  # noqa: E402


def engine_cpu_seconds(settings: Path, content: Path, runs: int) -> list[float]:
    project = load_project(settings, content)
    results = []
    for _ in range(runs):
        started = time.process_time()
        report = check_project(project, checklists=False)
        results.append(time.process_time() - started)
    if report.errors:
        raise SystemExit("the corpus has errors:\n" + "\n".join(report.lines()[:5]))
    return results


def wall_and_cpu_seconds(command: list[str]) -> tuple[float, float]:
    """One run's wall-clock seconds, and the CPU seconds of its processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    import pelicanconf

    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        content = write_corpus(work / "content", args.essays)
        plugins = list(pelicanconf.PLUGINS)
        without = [plugin for plugin in plugins if plugin != "content_check"]
        with_check = write_settings(work / "with", plugins)
        without_check = write_settings(work / "without", without)

        engine = engine_cpu_seconds(with_check, content, args.runs)
        print(
            f"engine over {args.essays} essays: {statistics.median(engine):.3f} "
            f"CPU s (median of {listed(engine)})"
        )

        def cold(settings: Path) -> tuple[float, float]:
            output = work / f"output-{settings.parent.name}"
            command = pelican_command(content, output, settings, "-q")
            return wall_and_cpu_seconds(command)

        timed: dict[str, list[tuple[float, float]]] = {"with": [], "without": []}
        for _ in range(args.runs):  # alternating, so both see the same load
            timed["without"].append(cold(without_check))
            timed["with"].append(cold(with_check))
        for kind, at in (("wall-clock", 0), ("CPU", 1)):
            plain = [run[at] for run in timed["without"]]
            checked = [run[at] for run in timed["with"]]
            ratio = statistics.median(checked) / statistics.median(plain)
            print(
                f"cold build, {kind} s: without content_check {listed(plain)}, "
                f"with {listed(checked)}; ratio of medians {ratio:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
