"""Lighthouse, the Nu HTML checker and page weight for the theme, in one run.

    npm ci --prefix bench            # once: Lighthouse and vnu.jar (needs Java)
    .venv/bin/python bench/report.py

Builds the production site (publishconf.py) twice into temporary folders, once
with this theme and once with Pelican's default theme (notmyidea) on the same
content, serves each on 127.0.0.1 with the `_headers` file applied, and prints:

- Lighthouse scores (performance, accessibility, best practices, SEO) for the
  home page, an essay and the quick reference, both themes side by side
  (Lighthouse's default mobile profile, simulated throttling);
- Nu HTML checker errors over every HTML page of this theme's build;
- the compressed weight (gzip -6) of an essay: its HTML plus every stylesheet
  and script it loads from the site, before search is used.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pelicanconf import PLUGINS  # noqa: E402
from tests.headers_server import serve_with_headers  # noqa: E402

GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [
    str(Path(__file__).resolve().parent.parent / "plugins" / group) for group in GROUPS
]

sys.path[:0] = PLUGIN_FOLDERS
from subscription_policy.subscription_policy import (  # noqa: E402
    content_security_policy,
)

from tests.sitebuild import build  # noqa: E402

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
VNU = BENCH / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {
    "home": "/",
    "essay": "/what-is-customer-service/",
    "quick-reference": "/quick-reference/",
}
ESSAY_HTML = "what-is-customer-service/index.html"
WEIGHT_LIMIT = 30 * 1024
# The default theme has no templates for this theme's extra pages, nor for
# the checklists plugin's quick reference (so the plugin is left out there).
DEFAULT_THEME_OVERRIDES = [
    "-e",
    'DIRECT_TEMPLATES=["index", "archives", "tags", "categories", "authors"]',
    "TEMPLATE_PAGES={}",
    # Nor for the subscribe page's own template: pages left out.
    "PAGE_PATHS=[]",
    "PLUGINS=" + json.dumps([name for name in PLUGINS if name != "checklists"]),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_site(folder: Path, port: int, theme: str | None) -> Path:
    extra = []
    if theme:
        extra = ["-t", theme, *DEFAULT_THEME_OVERRIDES]
    output = build(
        folder / "output",
        settings="publishconf.py",
        env={"SITEURL": f"http://127.0.0.1:{port}"},
        extra=extra,
    )
    if theme:  # the default theme has no _headers; serve it with ours
        policy = content_security_policy("")
        (output / "_headers").write_text(
            f"/*\n  Content-Security-Policy: {policy}\n", "utf-8"
        )
    return output


def lighthouse(url: str, report: Path) -> dict[str, int]:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    # Chromium now and then fails to start under Lighthouse here: one retry.
    for attempt in (1, 2):
        run = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=300
        )
        if run.returncode == 0:
            break
        print(f"  lighthouse failed on {url} (attempt {attempt}): {run.stderr[-500:]}")
    else:
        sys.exit(f"bench/report.py: Lighthouse failed twice on {url}")
    data = json.loads(report.read_text("utf-8"))
    return {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}


def failed_audits(report: Path) -> list[str]:
    data = json.loads(report.read_text("utf-8"))
    failing = []
    for name in CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{name}: {ref['id']} ({audit['score']})")
    return failing


def nu_errors(site: Path) -> list[dict]:
    pages = [str(path) for path in sorted(site.rglob("*.html"))]
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(result.stderr or '{"messages": []}')["messages"]


def essay_weight(site: Path) -> list[tuple[str, int, int]]:
    html = (site / ESSAY_HTML).read_text("utf-8")
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script src="([^"]+)"', html)
    files = [(ESSAY_HTML, site / ESSAY_HTML)]
    for url in assets:
        path = re.sub(r"^https?://[^/]+/", "", url)
        files.append((path, site / path))
    return [
        (name, len(path.read_bytes()), len(gzip.compress(path.read_bytes(), 6)))
        for name, path in files
    ]


def main() -> int:
    missing = [str(tool) for tool in (LIGHTHOUSE, VNU) if not tool.exists()]
    if missing:
        sys.exit(f"bench/report.py: run `npm ci --prefix bench` first ({missing})")
    scores: dict[tuple[str, str], dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sites = {}
        for label, theme in [("this theme", None), ("default theme", "notmyidea")]:
            port = free_port()
            site = build_site(root / label.replace(" ", "-"), port, theme)
            sites[label] = site
            with serve_with_headers(site, port) as url:
                for page, path in PAGES.items():
                    if not (site / path.lstrip("/") / "index.html").is_file():
                        print(f"  {label} has no {path}: not measured")
                        continue
                    report = root / f"{label}-{page}.json".replace(" ", "-")
                    scores[(label, page)] = lighthouse(url + path, report)
                    if label == "this theme":
                        for failure in failed_audits(report):
                            print(f"  not perfect, {page}: {failure}")

        print("\nLighthouse (performance / accessibility / best practices / SEO)")
        for (label, page), result in scores.items():
            figures = " / ".join(f"{result[name]:3d}" for name in CATEGORIES)
            print(f"  {label:14} {page:15} {figures}")
        for page in PAGES:
            if ("default theme", page) not in scores:
                continue
            ours, theirs = scores[("this theme", page)], scores[("default theme", page)]
            ratio = " / ".join(f"{ours[n] / theirs[n]:.2f}" for n in CATEGORIES)
            print(f"  ratio this/default, {page}: {ratio}")

        errors = nu_errors(sites["this theme"])
        pages = len(list(sites["this theme"].rglob("*.html")))
        print(f"\nNu HTML checker: {len(errors)} errors in {pages} pages")
        for message in errors[:20]:
            where = message.get("url", "").split("/output/")[-1]
            print(f"  {where}:{message.get('lastLine')}: {message.get('message')}")

        weights = essay_weight(sites["this theme"])
        print("\nEssay page weight (bytes, raw -> gzip -6)")
        for name, raw, packed in weights:
            print(f"  {name:40} {raw:7d} -> {packed:6d}")
        total = sum(packed for _, _, packed in weights)
        verdict = "under" if total < WEIGHT_LIMIT else "OVER"
        print(f"  total {total} bytes gzip, {verdict} the {WEIGHT_LIMIT} byte budget")
        print(f"  ratio to budget: {total / WEIGHT_LIMIT:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
