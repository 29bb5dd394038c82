"""Screenshots of the home page, an essay and the quick reference.

    .venv/bin/python bench/screenshots.py [--out screenshots]

Builds the development site into a temporary folder, serves it on 127.0.0.1
and saves full-page PNGs at 375 px and 1280 px wide, light and dark, into
screenshots/ (gitignored), and each page's first screen at 800 px high
(NAME-WIDTH-SCHEME-fold.png). Also, at both widths and in both schemes, the
search results open on the home page (search-WIDTH-SCHEME.png), and the essay
and the quick reference as printed (essay-print.png, quick-reference-print.png,
print media emulated).
Pages that the build does not have are skipped with a note.
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
SEARCH_QUERY = "listen"
# The first screen of a laptop (1280x800) and of a phone (375x800).
FOLD_HEIGHT = 800


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
                            viewport={"width": width, "height": FOLD_HEIGHT},
                            color_scheme=scheme,
                        )
                        page = context.new_page()
                        page.goto(f"{url}/{path.removesuffix('index.html')}")
                        # The first screen, as a reader sees it before scrolling.
                        fold = args.out / f"{name}-{width}-{scheme}-fold.png"
                        page.screenshot(path=str(fold))
                        # Off-screen sections skip rendering (content-visibility
                        # on the quick reference): make the whole page on screen.
                        height = page.evaluate("document.documentElement.scrollHeight")
                        page.set_viewport_size({"width": width, "height": height})
                        target = args.out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=True)
                        context.close()
                        print(f"wrote {target}")
            for scheme in SCHEMES:
                for width in WIDTHS:
                    target = args.out / f"search-{width}-{scheme}.png"
                    search_results(browser, url, width, scheme, target)
                    print(f"wrote {target}")
            for name in ("essay", "quick-reference"):
                if (site / PAGES[name]).is_file():
                    target = args.out / f"{name}-print.png"
                    address = PAGES[name].removesuffix("index.html")
                    printed(browser, f"{url}/{address}", target)
                    print(f"wrote {target}")
    return 0


def search_results(browser, url: str, width: int, scheme: str, target: Path) -> None:
    """The home page with the search dialog open on Pagefind's results."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme
    )
    page = context.new_page()
    page.goto(f"{url}/")
    page.locator("[data-search-open]").click()
    page.locator("#site-search input").press_sequentially(SEARCH_QUERY, delay=20)
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)  # the excerpts fill in after the links
    page.screenshot(path=str(target))
    context.close()


def printed(browser, address: str, target: Path) -> None:
    """The page as the print stylesheet lays it out, on an A4-wide column."""
    context = browser.new_context(viewport={"width": 794, "height": 1123})
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(address)
    page.screenshot(path=str(target), full_page=True)
    context.close()


if __name__ == "__main__":
    sys.exit(main())
