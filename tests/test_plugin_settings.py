"""plugins/machinery/plugin_settings: every plugin's settings dict and PLUGINS' order,
checked by real Pelican runs that stop with one line naming the file used."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pelican.settings import read_settings

from plugins.machinery.plugin_settings import (
    Option,
    PluginSettingsError,
    SettingsDict,
    one_of,
    unknown_key,
    whole_number,
)
from tests.sitebuild import CONTENT, PROJECT

# One wrong key in each plugin's dict, and the line the build stops with.
WRONG_KEYS = {
    "CHECKLISTS": (
        '{"defualt": "auto"}',
        'CHECKLISTS["defualt"]: unknown key (did you mean "default"?)',
    ),
    "READING_TIME": (
        '{"words_per_minut": 250}',
        'READING_TIME["words_per_minut"]: unknown key '
        '(did you mean "words_per_minute"?)',
    ),
    "SERIES_FEEDS": (
        '{"rs": "feeds/{slug}.xml"}',
        'SERIES_FEEDS["rs"]: unknown key (did you mean "rss"?)',
    ),
    "PAGEFIND_SEARCH": (
        '{"search": False}',
        'PAGEFIND_SEARCH["search"]: unknown key (the keys: "build_index")',
    ),
    "CONTENT_CHECK": (
        '{"problem_file": "problems.txt"}',
        'CONTENT_CHECK["problem_file"]: unknown key (did you mean "problems_file"?)',
    ),
    "PARALLEL_BUILD": (
        '{"min_essay": 8}',
        'PARALLEL_BUILD["min_essay"]: unknown key (did you mean "min_essays"?)',
    ),
    "SITEMAP": (
        '{"formt": "txt"}',
        'SITEMAP["formt"]: unknown key (did you mean "format"?)',
    ),
    "EDITED_FIRST": (
        '{"source": ["content/essays/01-customer-disservice.md"]}',
        'EDITED_FIRST["source"]: unknown key (did you mean "sources"?)',
    ),
    "DIGEST": (
        '{**DIGEST, "service_ur": "https://example.org"}',
        'DIGEST["service_ur"]: unknown key (did you mean "service_url"?)',
    ),
}


GROUPS = ("features", "workarounds", "machinery")
# Why template_cache and the plugins that use compat need those first.
AFTER_GUARD = (
    "it throws the compiled templates away whenever the content cache is not "
    "loaded, and cache_guard decides that first"
)
AFTER_COMPAT = (
    "compat checks, as Pelican loads it, that the private parts of the "
    "libraries this plugin uses are there"
)
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]


def settings_file(folder: Path, lines: str, name: str = "settings.py") -> Path:
    """The project's settings with `lines` added, usable from any folder."""
    path = folder / name
    path.write_text(
        "from pelicanconf import *\n"
        f"PLUGIN_PATHS = {PLUGIN_FOLDERS!r}\n"
        f"THEME = {str(PROJECT / 'theme')!r}\n" + lines + "\n",
        "utf-8",
    )
    return path


def pelican(
    settings: Path | str, output: Path, *extra: str, cwd: Path = PROJECT, env=None
):
    """`python -m pelican` on the content with these settings, warnings fatal."""
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(CONTENT), "-o", str(output)]
        + ["-s", str(settings), *extra, "--fatal", "warnings"]
        + ["--log-handler", "plain"]
        + ["--ignore-cache", "--cache-path", str(output.parent / "cache")],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(PROJECT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def the_one_line(result) -> str:
    """What the build printed, which must be one line, and that it failed."""
    assert result.returncode != 0
    printed = (result.stdout + result.stderr).strip()
    assert "Traceback" not in printed
    assert len(printed.splitlines()) == 1, printed
    return printed


def test_every_plugins_settings_dict_has_a_wrong_key_case_below(monkeypatch):
    """Every settings dict a plugin of pelicanconf.py's PLUGINS declares."""
    settings = read_settings(str(PROJECT / "pelicanconf.py"))
    for path in settings["PLUGIN_PATHS"]:
        monkeypatch.syspath_prepend(path)
    declared = set()
    for plugin in settings["PLUGINS"]:
        if not plugin.startswith("pelican.plugins."):
            module = importlib.import_module(plugin)
            declared.update(d.name for d in getattr(module, "SETTINGS", ()))
    assert declared == set(WRONG_KEYS)


@pytest.mark.parametrize("name", sorted(WRONG_KEYS))
def test_a_wrong_key_stops_the_build_with_one_line_naming_file_and_key(tmp_path, name):
    value, line = WRONG_KEYS[name]
    settings = settings_file(tmp_path, f"{name} = {value}")
    result = pelican(settings, tmp_path / "output")
    assert the_one_line(result) == f"{settings}: {line}"
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        (
            "CHECKLISTS = {'default': 'al'}",
            'CHECKLISTS["default"]: must be one of "auto", "marked", "none", not "al"',
        ),
        (
            "CHECKLISTS = {'json_save_as': '../up.json'}",
            'CHECKLISTS["json_save_as"]: must be a path inside the output folder, '
            'or "", not "../up.json"',
        ),
        (
            "SERIES_FEEDS = {'atom': 'feeds/series.atom.xml'}",
            'SERIES_FEEDS["atom"]: must be None or a path with {slug} in it, '
            'not "feeds/series.atom.xml"',
        ),
        (
            "DIGEST = {**DIGEST, 'service_url': 'https://example.org/a b'}",
            'DIGEST["service_url"]: must be an https:// address with no space, '
            'quote, comma or semicolon, or None, not "https://example.org/a b"',
        ),
        ("READING_TIME = 200", "READING_TIME: must be a dict, not int"),
        (
            "SITEMAP = {**SITEMAP, 'priorities': {'articles': 8}}",
            'SITEMAP["priorities"]: must be a dict of "articles", "pages", '
            "\"indexes\" to numbers from 0 to 1, not {'articles': 8}",
        ),
        (
            "SITEMAP = {**SITEMAP, 'exclude': ['(unclosed']}",
            'SITEMAP["exclude"]: must be a list of regular expressions, '
            "not ['(unclosed']",
        ),
    ],
)
def test_a_wrong_type_or_value_stops_the_build_with_one_line(tmp_path, lines, line):
    settings = settings_file(tmp_path, lines)
    assert the_one_line(pelican(settings, tmp_path / "o")) == f"{settings}: {line}"


def test_the_line_names_the_file_given_with_s_not_the_one_it_imports(tmp_path):
    """publishconf.py imports pelicanconf.py, where the mistake is: the line
    names publishconf.py, the file Pelican was given, relative to the folder
    Pelican runs in."""
    conf = (PROJECT / "pelicanconf.py").read_text("utf-8")
    (tmp_path / "pelicanconf.py").write_text(
        conf
        + f"\nPATH = {str(CONTENT)!r}\n"
        + f"PLUGIN_PATHS = {PLUGIN_FOLDERS!r}\n"
        + f"THEME = {str(PROJECT / 'theme')!r}\n"
        + "CHECKLISTS = {**CHECKLISTS, 'defualt': 'auto'}\n",
        "utf-8",
    )
    publish = (PROJECT / "publishconf.py").read_text("utf-8")
    (tmp_path / "publishconf.py").write_text(publish, "utf-8")
    result = pelican(
        "publishconf.py",
        tmp_path / "output",
        cwd=tmp_path,
        env={"SITEURL": "https://essays.example.org"},
    )
    assert the_one_line(result) == (
        'publishconf.py: CHECKLISTS["defualt"]: unknown key (did you mean "default"?)'
    )


def test_a_setting_given_with_e_is_named_as_the_command_lines(tmp_path):
    result = pelican(
        "pelicanconf.py", tmp_path / "o", "-e", 'READING_TIME={"speed": 2}'
    )
    assert the_one_line(result) == (
        'the command line (-e READING_TIME): READING_TIME["speed"]: unknown key '
        '(the keys: "words_per_minute")'
    )


# --- the order of PLUGINS ------------------------------------------------------


def moved(plugin: str, before: str) -> str:
    """PLUGINS with `plugin` moved to just before `before`."""
    return (
        f"PLUGINS = [p for p in PLUGINS if p != {plugin!r}]\n"
        f"PLUGINS.insert(PLUGINS.index({before!r}), {plugin!r})"
    )


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        (
            moved("essay_outline", "checklists"),
            'PLUGINS: "essay_outline" must come after "checklists" (reading an '
            "essay's content makes Pelican keep it as it is, and the checklists' "
            '"On the quick reference" links must be in it by then)',
        ),
        (
            moved("checklists", "reading_time"),
            'PLUGINS: "checklists" must come after "reading_time" (an essay\'s '
            'reading time counts its own words, not the "On the quick reference" '
            "links checklists adds to it)",
        ),
        (
            moved("series_nav", "pelican.plugins.series"),
            'PLUGINS: "series_nav" must come after "pelican.plugins.series" '
            "(it corrects the series pelican-series made)",
        ),
        (
            'PLUGINS = [p for p in PLUGINS if p != "pelican.plugins.series"]',
            'PLUGINS: "series_nav" needs "pelican.plugins.series" before it, and '
            "PLUGINS does not load it (it corrects the series pelican-series made)",
        ),
        (
            moved("template_cache", "cache_guard"),
            f'PLUGINS: "template_cache" must come after "cache_guard" ({AFTER_GUARD})',
        ),
        (
            'PLUGINS = [p for p in PLUGINS if p != "cache_guard"]',
            'PLUGINS: "template_cache" needs "cache_guard" before it, and PLUGINS '
            f"does not load it ({AFTER_GUARD})",
        ),
        (
            moved("compat", "site_origin"),
            f'PLUGINS: "content_check" must come after "compat" ({AFTER_COMPAT})',
        ),
        (
            'PLUGINS = [p for p in PLUGINS if p != "compat"]',
            'PLUGINS: "content_check" needs "compat" before it, and PLUGINS does not '
            f"load it ({AFTER_COMPAT})",
        ),
    ],
)
def test_a_build_with_plugins_out_of_order_stops_with_one_line(tmp_path, lines, line):
    settings = settings_file(tmp_path, lines)
    result = pelican(settings, tmp_path / "output")
    assert the_one_line(result) == f"{settings}: {line}"
    assert not (tmp_path / "output").exists()


def compat_users() -> list[str]:
    """The plugins whose code imports plugins/machinery/compat."""
    return sorted(
        folder.name
        for group in GROUPS
        for folder in (PROJECT / "plugins" / group).iterdir()
        if folder.name != "compat"
        and any(
            "import compat" in path.read_text("utf-8") for path in folder.rglob("*.py")
        )
    )


def test_every_plugin_that_uses_compat_says_it_needs_it_first(monkeypatch):
    """The order rule cannot be forgotten by the next plugin that imports compat."""
    assert {"reading_time", "frozen_urls", "parallel_build"} <= set(compat_users())
    for path in PLUGIN_FOLDERS:
        monkeypatch.syspath_prepend(path)
    for plugin in compat_users():
        module = importlib.import_module(plugin)
        assert getattr(module, "REQUIRES_BEFORE", {}).get("compat") == AFTER_COMPAT


@pytest.mark.parametrize("plugin", compat_users())
def test_each_plugin_that_uses_compat_stops_a_build_that_loads_it_first(
    tmp_path, plugin
):
    """Each one's own declaration, and its own register() connecting the check:
    PLUGINS holds only that plugin, then compat."""
    settings = settings_file(tmp_path, f"PLUGINS = [{plugin!r}, 'compat']")
    result = pelican(settings, tmp_path / "output")
    assert the_one_line(result) == (
        f'{settings}: PLUGINS: "{plugin}" must come after "compat" ({AFTER_COMPAT})'
    )


def test_the_short_name_of_a_namespace_plugin_counts_as_loaded(tmp_path):
    """PLUGINS may name pelican-series "series", as Pelican allows."""
    lines = (
        'PLUGINS = ["series" if p == "pelican.plugins.series" else p for p in PLUGINS]'
    )
    result = pelican(settings_file(tmp_path, lines), tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "output" / "series" / "index.html").is_file()


# --- the helper itself -----------------------------------------------------------


EXAMPLE = SettingsDict(
    "EXAMPLE",
    {
        "mode": Option("auto", one_of("auto", "none")),
        "count": Option(3, whole_number(0)),
    },
)


def test_a_dict_is_merged_over_its_defaults():
    assert EXAMPLE.read({}) == {"mode": "auto", "count": 3}
    assert EXAMPLE.read({"EXAMPLE": None}) == {"mode": "auto", "count": 3}
    assert EXAMPLE.read({"EXAMPLE": {"count": 0}}) == {"mode": "auto", "count": 0}


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"mdoe": "auto"}, 'EXAMPLE["mdoe"]: unknown key (did you mean "mode"?)'),
        (
            {"count": True},
            'EXAMPLE["count"]: must be a whole number, 0 or more, not True',
        ),
        ({"count": -1}, 'EXAMPLE["count"]: must be a whole number, 0 or more, not -1'),
        ({1: 2}, 'EXAMPLE[1]: unknown key (the keys: "mode", "count")'),
    ],
)
def test_a_mistake_is_the_key_and_the_problem(given, problem):
    with pytest.raises(PluginSettingsError) as stopped:
        EXAMPLE.read({"EXAMPLE": given})
    # Where the settings came from is the runs' above: here, pytest's argv.
    assert str(stopped.value).endswith(f": {problem}")


def test_a_suggestion_only_for_a_close_key():
    assert unknown_key("page_urls", ["page_url", "template"]) == (
        'unknown key (did you mean "page_url"?)'
    )
    assert unknown_key("zzz", ["page_url", "template"]) == (
        'unknown key (the keys: "page_url", "template")'
    )
