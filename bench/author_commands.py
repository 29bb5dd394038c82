"""How long the author's commands take, as ratios measured in one run.

    .venv/bin/python bench/author_commands.py [--essays N] [--runs R]

1. `python -m authoring check` on the real content and on a synthetic corpus
   of N essays, against a cold `pelican` build of the same content: the check
   should cost a fraction of a build.
2. One devserver rebuild after an edit (a fresh `python -m pelican` process,
   content cache on) against the same cached build run in-process through
   Pelican's API: the price of always running the current plugins.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import PROJECT, median, pelican_command, seconds

sys.path.insert(0, str(PROJECT))

from tests.authoring_content import essay  # noqa: E402


def synthetic(folder: Path, count: int) -> Path:
    content = folder / "content"
    (content / "essays").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text(
        "Title: About\nSlug: about\nSummary: A synthetic corpus.\n\nText.\n", "utf-8"
    )
    body = "A paragraph of text. " * 60 + "\n\n- one tip\n- another tip\n"
    for number in range(1, count + 1):
        year, month = divmod(number - 1, 12)
        text = essay(
            title=f"Essay {number}",
            slug=f"essay-{number}",
            index=number,
            date=f"{2000 + year}-{month + 1:02d}-01 09:00",
            body=body,
        )
        (content / "essays" / f"{number:04d}-essay-{number}.md").write_text(
            text, "utf-8"
        )
    return content


def check_vs_build(content: Path, work: Path, runs: int) -> tuple[float, float]:
    python = sys.executable
    check_command = [python, "-m", "authoring", "check", "--content", str(content)]
    check = median(runs, lambda: seconds(check_command))

    def cold_build() -> float:
        output = work / "out"
        shutil.rmtree(output, ignore_errors=True)
        return seconds(
            pelican_command(
                content,
                output,
                "pelicanconf.py",
                "--ignore-cache",
                "--cache-path",
                str(work / "cache"),
            )
        )

    return check, median(runs, cold_build)


def rebuild_costs(work: Path, runs: int) -> tuple[float, float]:
    """A cached rebuild after touching one essay: subprocess vs in-process."""
    content = work / "content"
    shutil.copytree(PROJECT / "content", content)
    output, cache = work / "out", work / "cache"
    essay_file = content / "essays" / "01-customer-disservice.md"
    command = pelican_command(
        content, output, "pelicanconf.py", "--cache-path", str(cache)
    )
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True)

    def fresh_process() -> float:
        essay_file.write_text(essay_file.read_text("utf-8") + "\nMore.\n", "utf-8")
        return seconds(command)

    from pelican import Pelican
    from pelican.settings import read_settings

    def in_process() -> float:
        essay_file.write_text(essay_file.read_text("utf-8") + "\nMore.\n", "utf-8")
        started = time.perf_counter()
        settings = read_settings(
            str(PROJECT / "pelicanconf.py"),
            override={
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "CACHE_PATH": str(cache),
            },
        )
        with contextlib.redirect_stdout(io.StringIO()):  # its "Done: ..." line
            Pelican(settings).run()
        return time.perf_counter() - started

    import logging

    logging.disable(logging.WARNING)
    return median(runs, fresh_process), median(runs, in_process)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        check, build = check_vs_build(PROJECT / "content", work, args.runs)
        print(
            f"real content: check {check:.2f} s, cold build {build:.2f} s, "
            f"ratio {check / build:.2f}x"
        )
        corpus = synthetic(work / "corpus", args.essays)
        check, build = check_vs_build(corpus, work / "corpus", max(1, args.runs // 2))
        print(
            f"{args.essays} essays: check {check:.2f} s, cold build {build:.2f} s, "
            f"ratio {check / build:.2f}x"
        )
        fresh, warm = rebuild_costs(work / "rebuild", args.runs)
        print(
            f"devserver rebuild after one edit: fresh process {fresh:.2f} s, "
            f"in-process {warm:.2f} s, ratio {fresh / warm:.2f}x "
            f"(+{fresh - warm:.2f} s a save)"
        )


if __name__ == "__main__":
    main()
