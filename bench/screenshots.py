"""Screenshots of the home page, an essay and the quick reference.

    .venv/bin/python bench/screenshots.py [--out screenshots]

Builds the development site into a temporary folder, serves it on 127.0.0.1
and saves full-page PNGs at 375 px and 1280 px wide, light and dark, into
screenshots/ (gitignored). Pages that the build does not have (the quick
reference, before the checklists plugin is merged) are skipped with a note.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium, serve  # noqa: E402
from tests.sitebuild import PROJECT, build  # noqa: E402

PAGES = {
    "home": "index.html",
    "essay": "what-is-customer-service/index.html",
    "quick-reference": "quick-reference/index.html",
}
WIDTHS = (375, 1280)
SCHEMES = ("light", "dark")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        site = build(Path(folder) / "output")
        with serve(site) as url, chromium() as browser:
            for name, path in PAGES.items():
                if not (site / path).is_file():
                    print(f"skipped {name}: the build has no {path}")
                    continue
                for scheme in SCHEMES:
                    for width in WIDTHS:
                        context = browser.new_context(
                            viewport={"width": width, "height": 900},
                            color_scheme=scheme,
                        )
                        page = context.new_page()
                        page.goto(f"{url}/{path.removesuffix('index.html')}")
                        target = args.out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=True)
                        context.close()
                        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
