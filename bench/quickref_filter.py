"""Filtering the quick-reference page at 10,000 items, in headless Chromium.

Builds a synthetic corpus (bench/corpus.py: 1,000 essays, 10 checklist items
each) with the checklists plugin, opens /quick-reference/ in Debian's Chromium
and types queries one character at a time. Each keystroke is measured in the
page: performance.now() around the filter call plus a forced layout
(offsetHeight), and, separately, until the next animation frame. Prints p50,
p95 and max per keystroke; goal p95 <= 16 ms.

    .venv/bin/python bench/quickref_filter.py [--essays 1000] [--against main]

With --against REV, quickref.js as it is at that git revision is measured
too, on the same build in the same browser, the two alternating for
--rounds rounds, and the ratio of their p95 is printed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import PROJECT, write_corpus, write_settings  # noqa: E402

from tests.browser import chromium, serve  # noqa: E402


def _site_plugins() -> list[str]:
    import pelicanconf

    return list(pelicanconf.PLUGINS)


# The site's plugins, Pagefind aside: the theme's essay pages need
# site_origin, reading_time and series_nav (with only the first three the
# build stopped at the first essay, after the quick reference was written).
SITE_PLUGINS = [p for p in _site_plugins() if p != "pagefind_search"]
SCRIPT = "theme/static/js/quickref.js"
QUERIES = ["customer", "respect patience", "zoe", "cafe listen", "xyz", "fair"]

# Types `query` one character at a time (clearing first), measuring each step.
TYPE_AND_MEASURE = """
async ({query}) => {
  const input = document.querySelector('#quickref-q');
  const sync = [], frame = [];
  const nextFrame = () => new Promise(r => requestAnimationFrame(() => r()));
  const steps = [];
  for (let i = 1; i <= query.length; i++) steps.push(query.slice(0, i));
  for (let i = query.length - 1; i >= 0; i--) steps.push(query.slice(0, i));
  for (const value of steps) {
    await nextFrame();
    const start = performance.now();
    input.value = value;
    window.quickrefFilter();
    document.body.offsetHeight;  // force style and layout now
    sync.push(performance.now() - start);
    await nextFrame();
    frame.push(performance.now() - start);
    // Let the chunked highlighting run, as it would between real keystrokes.
    await new Promise(r => setTimeout(r, 30));
  }
  return {sync, frame};
}
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def build_site(folder: Path, essays: int) -> Path:
    content = write_corpus(folder / "content", essays)
    settings = write_settings(folder / "settings", SITE_PLUGINS)
    output = folder / "output"
    subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(output)]
        + ["-s", str(settings), "--ignore-cache", "-q"],
        cwd=PROJECT,
        check=True,
    )
    return output


def script_at(revision: str, folder: Path) -> Path:
    """quickref.js as it is at `revision` (git), written into `folder`."""
    source = subprocess.run(
        ["git", "show", f"{revision}:{SCRIPT}"],
        cwd=PROJECT,
        check=True,
        capture_output=True,
    ).stdout
    path = folder / f"quickref-{revision.replace('/', '-')}.js"
    path.write_bytes(source)
    return path


def measure(browser, url: str, script: Path | None) -> tuple[list, list, int]:
    """Every query typed once on a fresh page, with `script` served as
    quickref.js when given (the same page, build and machine otherwise)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    if script is not None:
        page.route(
            "**/js/quickref.js",
            lambda route: route.fulfill(path=script, content_type="text/javascript"),
        )
    page.goto(f"{url}/quick-reference/")
    page.wait_for_function("typeof window.quickrefFilter === 'function'")
    items = page.locator(".quickref-item").count()
    sync: list[float] = []
    frame: list[float] = []
    for query in QUERIES:
        result = page.evaluate(TYPE_AND_MEASURE, {"query": query})
        sync += result["sync"]
        frame += result["frame"]
    page.close()
    return sync, frame, items


def report(label: str, sync: list[float], frame: list[float]) -> None:
    for name, values in (("filter + layout", sync), ("to next frame", frame)):
        print(
            f"{label:>14} {name:>16}: p50 {statistics.median(values):5.1f} ms, "
            f"p95 {percentile(values, 0.95):5.1f} ms, max {max(values):6.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=1000)
    parser.add_argument(
        "--against",
        metavar="REV",
        help="also measure quickref.js as it is at this git revision (e.g. main),"
        " alternating with this tree's, on the same page and build",
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --against")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        output = build_site(folder, args.essays)
        variants: dict[str, Path | None] = {"this tree": None}
        if args.against:
            variants[args.against] = script_at(args.against, folder)
        rounds = args.rounds if args.against else 1
        results = {label: ([], []) for label in variants}
        with serve(output) as url, chromium() as browser:
            for number in range(rounds):
                # Alternate which goes first, so a busier minute hits both.
                order = list(variants.items())
                if number % 2:
                    order.reverse()
                for label, script in order:
                    sync, frame, items = measure(browser, url, script)
                    results[label][0].extend(sync)
                    results[label][1].extend(frame)
    keystrokes = len(results["this tree"][0])
    print(
        f"items: {items}, keystrokes per variant: {keystrokes} ({', '.join(QUERIES)})"
    )
    for label, (sync, frame) in results.items():
        report(label, sync, frame)
    if args.against:
        ours = percentile(results["this tree"][0], 0.95)
        theirs = percentile(results[args.against][0], 0.95)
        ratio = ours / theirs
        print(f"p95 ratio this tree / {args.against} (filter + layout): {ratio:.2f}")
    print("goal: p95 <= 16 ms a keystroke (filter + layout)")


if __name__ == "__main__":
    main()
