"""A save in `make devserver`, timed as the author sees it, at 1,000 essays.

    .venv/bin/python bench/devserver_save.py [--essays 1000] [--saves 5]
        [--work-dir DIR]

Starts the real devserver (`python -m authoring devserver`) on a synthetic
corpus (bench/corpus.py), opens an essay in headless Chromium, then saves a
new sentence into that essay several times. For each save: the seconds from
the file written until the sentence is on the page in the browser (the
devserver shows the edited page first: plugins/machinery/edited_first), and
until the devserver has served the whole new site. Plain Pelican's cold build
of the same corpus, in the same run, is the yardstick. Goal (issue 16): the
save shown in the browser within 1 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from corpus import write_corpus
from timing import PROJECT, listed, pelican_command, seconds

sys.path.insert(0, str(PROJECT))

from tests.browser import chromium  # noqa: E402
from tests.test_authoring_devserver import Output  # noqa: E402

TIMEOUT = 300  # seconds; a limit for waiting, never a measured time
SETTINGS = """\
import sys
sys.path.insert(0, {project!r})
from pelicanconf import *  # noqa: F403

PLUGIN_PATHS = [{project!r} + "/" + path for path in PLUGIN_PATHS]
THEME = {project!r} + "/theme"
CACHE_PATH = {cache!r}
"""


def wait_for(output: Output, pattern: str, after: int = 0) -> tuple[float, re.Match]:
    """When the first line from index `after` on that matches arrived, and
    its match; the bench stops if none comes."""
    number = output.index(pattern, after, TIMEOUT)
    if number is None:
        tail = "\n".join(output.lines[-20:])
        sys.exit(f"the devserver never printed {pattern!r}:\n{tail}")
    return output.arrived[number], re.search(pattern, output.lines[number])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=5)
    parser.add_argument("--work-dir", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(
        prefix="bench-devserver-", dir=args.work_dir
    ) as tmp:
        work = Path(tmp)
        content = write_corpus(work / "content", args.essays)
        plain = seconds(
            pelican_command(
                content,
                work / "plain",
                PROJECT / "bench" / "plain_pelicanconf.py",
                "-q",
                "--cache-path",
                str(work / "plain-cache"),
                "--ignore-cache",
            )
        )
        settings = work / "benchconf.py"
        settings.write_text(
            SETTINGS.format(project=str(PROJECT), cache=str(work / "cache")), "utf-8"
        )
        essays = sorted((content / "essays").glob("*.md"))
        essay = essays[len(essays) // 2]
        slug = re.search(r"(?m)^Slug: (.+)$", essay.read_text("utf-8"))[1].strip()
        devserver = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "authoring",
                "devserver",
                "--settings",
                str(settings),
                "--content",
                str(content),
                "--output",
                str(work / "output"),
                "--port",
                "0",
            ],
            cwd=work,
            env={**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            lines = Output()
            threading.Thread(
                target=lines.read, args=(devserver.stdout,), daemon=True
            ).start()
            url = wait_for(lines, r"serving (http://127\.0\.0\.1:\d+)/")[1][1]
            shown, whole, building = measure_saves(lines, url, slug, essay, args.saves)
        finally:
            devserver.terminate()
            devserver.wait(timeout=30)

    print(f"corpus: {args.essays} essays, {args.saves} saves of one essay")
    print(f"plain Pelican, cold build        {plain:6.2f} s")
    show = statistics.median(shown)
    print(
        f"save -> shown in the browser     {show:6.2f} s {listed(shown)}"
        f"   {show / plain:.2f}x plain   (goal: within 1 s)"
    )
    if building:
        part = statistics.median(building)
        print(
            f"  of which the build, until the page   {part:6.2f} s "
            f"{listed(building)}   (the devserver's own figure)"
        )
    built = statistics.median(whole)
    print(
        f"save -> whole site served        {built:6.2f} s {listed(whole)}"
        f"   {built / plain:.2f}x plain"
    )


def measure_saves(
    lines: Output, url: str, slug: str, essay: Path, saves: int
) -> tuple[list[float], list[float], list[float]]:
    """Seconds from each save: until shown, until the whole site is served,
    and the devserver's build until it wrote the page first."""
    shown: list[float] = []
    whole: list[float] = []
    building: list[float] = []
    noticed: list[float] = []
    with chromium() as browser:
        page = browser.new_page()
        before = len(lines.lines)
        page.goto(f"{url}/{slug}/")
        wait_for(lines, r"devserver: browser connected", after=before)
        # The first index run, which a save would cancel.
        wait_for(lines, r"devserver: search index", after=0)
        text = essay.read_text("utf-8")
        for save in range(saves):
            sentence = f"A sentence saved by the benchmark, number {save}."
            before = len(lines.lines)
            text = text.rstrip("\n") + f"\n\n{sentence}\n"
            essay.write_text(text, "utf-8")
            saved = time.perf_counter()
            page.wait_for_function(
                "text => document.body && document.body.innerText.includes(text)",
                arg=sentence,
                timeout=TIMEOUT * 1000,
            )
            shown.append(time.perf_counter() - saved)
            built_at, _ = wait_for(lines, r"devserver: built in", after=before)
            whole.append(built_at - saved)
            for when, line in zip(
                lines.arrived[before:], lines.lines[before:], strict=False
            ):
                if "devserver: changed: " in line:
                    noticed.append(when - saved)
                if first := re.search(r"shown first: .* \(([\d.]+) s\)", line):
                    building.append(float(first[1]))
            wait_for(lines, r"devserver: search index", after=before)
    watch = statistics.median(noticed)
    print(f"save -> the devserver notices it {watch:6.2f} s {listed(noticed)}")
    return shown, whole, building


if __name__ == "__main__":
    main()
