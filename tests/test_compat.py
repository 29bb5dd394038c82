"""plugins/machinery/compat: a library part the project needs, gone in a release, stops
the build and the authoring commands with one line naming it and the versions
needed. The part is really removed, in the process that then builds."""

from __future__ import annotations

import re
import subprocess
import sys

from plugins.machinery import compat
from tests.sitebuild import PROJECT

# Removes a name from a library module, then runs what follows in the same
# interpreter: what a release without that name would do.
WITHOUT = (
    "import importlib, sys; delattr(importlib.import_module({module!r}), {name!r}); "
)


def run_without(module: str, name: str, then: str, *args: str):
    code = WITHOUT.format(module=module, name=name) + then
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_everything_needed_is_there_in_the_pinned_versions():
    assert compat.missing() == []


def test_a_missing_part_stops_the_build_with_one_line(tmp_path):
    result = run_without(
        "pelican.readers",
        "_filter_discardable_metadata",
        "from pelican import main; main(sys.argv[1:])",
        *("content", "-o", str(tmp_path / "out"), "-s", "pelicanconf.py"),
        *("--cache-path", str(tmp_path / "cache"), "--ignore-cache"),
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "compat: pelican.readers._filter_discardable_metadata (used by "
        f"parallel_build) is missing in pelican {compat._version('pelican')}; "
        "this project needs pelican 4.11 to 4.12 (requirements.in)"
    ]
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_log_message_no_longer_logged_is_one_line_naming_it():
    # content_check recognises Pelican's "Could not process" by its text.
    renamed = (("pelican.generators", ("Could not read %s",), "content_check", "x 1"),)
    assert compat.missing(needed=(), messages=renamed) == [
        "compat: pelican.generators (used by content_check) no longer logs "
        f"'Could not read %s' in pelican {compat._version('pelican')}; this "
        "project needs x 1 (requirements.in)"
    ]
    assert compat.missing(needed=()) == []


def test_a_missing_part_stops_an_authoring_command_with_one_line():
    result = run_without(
        "livereload.watcher",
        "Watcher",
        "import runpy; sys.argv[0] = 'authoring'; "
        "runpy.run_module('authoring', run_name='__main__')",
        "check",
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("compat: livereload.watcher.Watcher (used by devserver)")
    assert "this project needs livereload 2.7" in lines[0]


def private_names() -> set[str]:
    """The private attributes in NEEDED (Readers._cache, Content._content ...)."""
    return {
        name
        for _, path, _, _ in compat.NEEDED
        for name in path.split(".")
        if name.startswith("_")
    }


def test_only_compat_touches_the_private_parts_it_checks():
    """A use outside compat would escape its start-up check: every one goes
    through compat's wrappers (checklists' essay HTML: rendered_html and
    set_rendered_html)."""
    names = private_names()
    assert {"_content", "_cache", "_get_file_stamp"} <= names
    used = re.compile(r"(?<!\w)(" + "|".join(sorted(names)) + r")(?!\w)")
    compat_folder = PROJECT / "plugins" / "machinery" / "compat"
    uses = [
        f"{path.relative_to(PROJECT)}:{number}: {line.strip()}"
        for folder in ("plugins", "authoring", "digest")
        for path in sorted((PROJECT / folder).rglob("*.py"))
        if compat_folder not in path.parents
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if used.search(line)
    ]
    assert uses == []
