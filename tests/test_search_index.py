"""plugins/pagefind_search: the index built while the pages are written is the
one Pagefind's CLI makes of the finished site, and failures are reported.

Every comparison runs the real CLI over the real output folder into a second
bundle and compares what the two bundles let a reader find
(tests/pagefind_bundle.py: same pages, words, filters, metadata, fragments).
"""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest

from plugins.pagefind_search.pagefind_search import pagefind_executable
from tests.pagefind_bundle import contents, page_urls
from tests.sitebuild import PROJECT, build, copy_content, run_pelican

# Pelican's plain log handler leaves INFO out even with --verbose: Rich's
# handler then, wide enough that no line is wrapped.
VERBOSE = {"extra": ["--verbose"], "log_handler": None, "env": {"COLUMNS": "300"}}
# Forked processes even on a one-CPU machine and for a handful of essays:
# the feeds are then written by a second process while the pages are indexed.
PARALLEL = 'PARALLEL_BUILD={"processes": 2, "min_essays": 2}'
STREAMED = "pages indexed as written"
AGAIN = "indexing the whole folder again"

STANDALONE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Standalone</title></head>
<body><main data-pagefind-body><h1>Standalone</h1>
<p>A zyzzyva page copied as it is, never written by Pelican's writer.</p>
</main></body></html>
"""

# A plugin that rewrites one essay page after Pelican wrote it (and after
# it was handed to Pagefind): the index must still show the final page.
REWRITER_PLUGIN = """
from pathlib import Path
from pelican import signals


def rewrite(generator, writer):
    page = Path(generator.output_path) / "customer-disservice" / "index.html"
    text = page.read_text("utf-8")
    body = text.index(">", text.index("data-pagefind-body")) + 1
    page.write_text(text[:body] + "<p>Rewritten: xylophone.</p>" + text[body:], "utf-8")


def register():
    signals.article_writer_finalized.connect(rewrite)
"""


def cli_bundle(output: Path, bundle: Path) -> Path:
    """Pagefind's CLI over the finished folder, into a bundle of its own."""
    subprocess.run(
        [
            str(pagefind_executable()),
            "--site",
            str(output),
            "--output-path",
            str(bundle),
            "--quiet",
        ],
        check=True,
        capture_output=True,
    )
    return bundle


def logged(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def assert_same_index_as_the_cli(output: Path, tmp_path: Path) -> None:
    built = contents(output / "pagefind")
    assert built == contents(cli_bundle(output, tmp_path / "cli-bundle"))


def test_the_streamed_index_is_the_one_the_cli_makes(tmp_path):
    content = copy_content(tmp_path / "content")
    (content / "extra" / "standalone.html").write_text(STANDALONE_PAGE, "utf-8")
    # A name with characters that mean something in a glob: sent with its text.
    odd = STANDALONE_PAGE.replace("zyzzyva", "quokka")
    (content / "extra" / "odd [one], {two}.html").write_text(odd, "utf-8")
    result = run_pelican(
        tmp_path / "output",
        content=content,
        **{
            **VERBOSE,
            "extra": [
                "--verbose",
                "-e",
                PARALLEL,
            ],
        },
    )
    assert result.returncode == 0, logged(result)
    assert STREAMED in logged(result)
    assert AGAIN not in logged(result)
    assert "parallel_build: the feeds written by a second process" in logged(result)
    output = tmp_path / "output"
    urls = page_urls(output / "pagefind")
    # The five essays, the quick reference, and the pages only the static
    # generator copied (handed to Pagefind at the end of the build).
    assert "/quick-reference/" in urls
    assert "/customer-disservice/" in urls
    assert "/extra/standalone.html" in urls
    assert "/extra/odd [one], {two}.html" in urls
    assert len(urls) == 8, urls
    assert_same_index_as_the_cli(output, tmp_path)


def test_the_comparison_sees_a_missing_page(site, tmp_path):
    """The equality above can fail: one page less is a different index."""
    copy = tmp_path / "site"
    subprocess.run(["cp", "-r", str(site), str(copy)], check=True)
    whole = contents(cli_bundle(copy, tmp_path / "whole"))
    (copy / "customer-disservice" / "index.html").unlink()
    assert contents(cli_bundle(copy, tmp_path / "less")) != whole


def test_the_sites_index_is_the_one_the_cli_makes(site, tmp_path):
    assert_same_index_as_the_cli(site, tmp_path)


def test_a_page_rewritten_after_indexing_is_indexed_as_it_ends(tmp_path):
    plugins = tmp_path / "plugins" / "rewriter"
    plugins.mkdir(parents=True)
    (plugins / "__init__.py").write_text(REWRITER_PLUGIN, "utf-8")
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(PROJECT)!r})\n"
        "from pelicanconf import *\n"
        f"PLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}, "
        f"{str(tmp_path / 'plugins')!r}]\n"
        f"THEME = {str(PROJECT / 'theme')!r}\n"
        "PLUGINS = [*PLUGINS, 'rewriter']\n",
        "utf-8",
    )
    result = run_pelican(tmp_path / "output", settings=settings, **VERBOSE)
    assert result.returncode == 0, logged(result)
    assert "customer-disservice/index.html changed after it was indexed" in logged(
        result
    )
    assert AGAIN in logged(result)
    output = tmp_path / "output"
    essay = next(
        fragment
        for fragment in contents(output / "pagefind")["en"]["fragments"].values()
        if fragment["url"] == "/customer-disservice/"
    )
    assert "xylophone" in essay["content"]
    assert_same_index_as_the_cli(output, tmp_path)


def test_the_index_can_be_left_out_of_the_build(tmp_path):
    output = build(
        tmp_path / "output", extra=["-e", 'PAGEFIND_SEARCH={"build_index": false}']
    )
    assert (output / "customer-disservice" / "index.html").is_file()
    assert not (output / "pagefind").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('{"build_indx": false}', "PAGEFIND_SEARCH has unknown key(s) ['build_indx']"),
        (
            '{"build_index": "no"}',
            "PAGEFIND_SEARCH['build_index'] must be true or false",
        ),
        ("[]", "PAGEFIND_SEARCH must be a dict, got list"),
    ],
)
def test_a_wrong_setting_stops_the_build_with_its_name(tmp_path, value, message):
    result = run_pelican(tmp_path / "output", extra=["-e", f"PAGEFIND_SEARCH={value}"])
    assert result.returncode != 0
    assert message in logged(result)
    assert not (tmp_path / "output" / "index.html").exists()


def fake_pagefind(tmp_path: Path, script: str) -> dict[str, str]:
    """An environment whose Pagefind binary is `script` (pagefind's own
    lookup reads $PAGEFIND_BINARY_PATH first)."""
    binary = tmp_path / "fake-pagefind"
    binary.write_text("#!/bin/sh\n" + script, "utf-8")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return {"PAGEFIND_BINARY_PATH": str(binary)}


def test_no_binary_is_one_clear_error_and_the_site_is_built(tmp_path):
    result = run_pelican(
        tmp_path / "output",
        env={"PAGEFIND_BINARY_PATH": str(tmp_path / "nowhere" / "pagefind")},
        fatal_warnings=False,
    )
    assert result.returncode == 0, logged(result)
    assert "pagefind_search: no Pagefind binary (not found:" in logged(result)
    assert "nowhere/pagefind" in logged(result)
    assert (tmp_path / "output" / "customer-disservice" / "index.html").is_file()
    assert not (tmp_path / "output" / "pagefind").exists()


def test_a_failing_pagefind_is_reported_and_the_site_is_built(tmp_path):
    env = fake_pagefind(tmp_path, 'echo "boom: cannot index" >&2\nexit 3\n')
    result = run_pelican(tmp_path / "output", env=env, fatal_warnings=False)
    assert result.returncode == 0, logged(result)
    assert "pagefind_search: Pagefind failed (3):" in logged(result)
    assert "boom: cannot index" in logged(result)
    assert (tmp_path / "output" / "customer-disservice" / "index.html").is_file()
    # `make publish` (warnings fatal) stops on it.
    fatal = run_pelican(tmp_path / "fatal", env=env)
    assert fatal.returncode != 0
    assert "boom: cannot index" in logged(fatal)


def test_a_service_that_stops_leaves_the_index_to_the_cli(tmp_path):
    real = pagefind_executable()
    # The service reads one request and stops; the CLI is the real one.
    env = fake_pagefind(
        tmp_path,
        'if [ "$1" = "--service" ]; then head -c 1 >/dev/null; '
        'echo "service gone" >&2; exit 7; fi\n'
        f'exec "{real}" "$@"\n',
    )
    result = run_pelican(
        tmp_path / "output", **{**VERBOSE, "env": {**VERBOSE["env"], **env}}
    )
    assert result.returncode == 0, logged(result)
    assert "the Pagefind service failed (Pagefind stopped (exit 7): service gone)" in (
        logged(result)
    )
    assert_same_index_as_the_cli(tmp_path / "output", tmp_path)
    assert "/customer-disservice/" in page_urls(tmp_path / "output" / "pagefind")
