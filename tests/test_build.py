"""Full builds: drafts, the publish settings, and deployment with `make github`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.sitebuild import (
    build,
    copy_content,
    make_in,
    project_copy,
    run_module,
    run_pelican,
)

DRAFT = """Title: A Draft Nobody Should See
Date: 2026-11-15 09:00
Category: Customer Service
Tags: drafts
Slug: unfinished-thoughts
Series: Understanding Customer Service
Series_index: 6
Status: draft
Summary: Not ready yet.

This essay is not finished: xyzzy-draft-marker.
"""


def published_files(output: Path) -> dict[Path, str]:
    return {
        path: path.read_text("utf-8", errors="replace")
        for path in output.rglob("*")
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}
    }


def test_the_build_writes_every_page_type(site):
    for page in [
        "index.html",
        "archives/index.html",
        "tags/index.html",
        "categories/index.html",
        "about/index.html",
        "subscribe/index.html",
        "sitemap.xml",
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
    ]:
        assert (site / page).is_file(), page


def test_drafts_are_not_published(tmp_path):
    content = copy_content(tmp_path / "content")
    (content / "essays" / "06-draft.md").write_text(DRAFT, encoding="utf-8")
    output = build(tmp_path / "output", content=content)

    assert (output / "drafts" / "unfinished-thoughts" / "index.html").is_file()
    leaks = [
        str(path.relative_to(output))
        for path, text in published_files(output).items()
        if "drafts" not in path.relative_to(output).parts
        and ("xyzzy-draft-marker" in text or "A Draft Nobody Should See" in text)
    ]
    assert leaks == []


def test_publish_without_siteurl_stops_with_one_clear_line(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "SITEURL"}
    result = run_module(
        "pelican",
        "content",
        "-o",
        str(tmp_path / "out"),
        "-s",
        "publishconf.py",
        env=env,
        inherit_env=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SITEURL is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_publish_uses_absolute_urls(tmp_path):
    output = build(
        tmp_path / "output",
        settings="publishconf.py",
        env={"SITEURL": "https://essays.example.org"},
    )
    html = (output / "customer-disservice" / "index.html").read_text("utf-8")
    assert 'href="https://essays.example.org/theme/css/' in html
    assert 'href="../' not in html


def test_publish_empties_a_stale_output_folder(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "stale.html").write_text("left over", encoding="utf-8")
    build(output, settings="publishconf.py", env={"SITEURL": "https://x.example"})
    assert not (output / "stale.html").exists()
    assert (output / "index.html").is_file()


def test_publish_refuses_to_delete_the_content_folder(tmp_path):
    content = copy_content(tmp_path / "content")
    before = sorted(p.relative_to(content) for p in content.rglob("*"))
    result = run_pelican(
        content,
        settings="publishconf.py",
        content=content,
        env={"SITEURL": "https://x.example"},
    )
    assert result.returncode != 0
    assert "refusing to delete the output folder" in result.stdout + result.stderr
    assert sorted(p.relative_to(content) for p in content.rglob("*")) == before


def test_publish_refuses_the_project_root(tmp_path):
    content = copy_content(tmp_path / "content")
    result = run_pelican(
        tmp_path,
        settings="publishconf.py",
        content=content,
        env={"SITEURL": "https://x.example"},
    )
    assert result.returncode != 0
    assert "refusing to delete the output folder" in result.stdout + result.stderr
    assert (content / "essays" / "01-customer-disservice.md").is_file()


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_make_github_pushes_the_site_to_a_bare_repository(tmp_path):
    remote = tmp_path / "pages.git"
    git("init", "--bare", "-q", str(remote), cwd=tmp_path)
    # A project of its own, so the gh-pages branch lands in a throwaway repo.
    checkout = project_copy(tmp_path / "checkout")
    git("init", "-q", cwd=checkout)
    result = make_in(
        checkout,
        "github",
        f"GITHUB_REMOTE={remote}",
        f"OUTPUTDIR={tmp_path / 'output'}",
        "PELICANOPTS=--ignore-cache --cache-path " + str(tmp_path / "cache"),
        env={
            "SITEURL": "https://essays.example.org",
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert "index.html" in files
    assert "customer-disservice/index.html" in files
    assert ".nojekyll" in files
