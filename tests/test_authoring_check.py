"""`make check`: every problem it reports, each on a small content folder."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from authoring.check import check_project
from tests.authoring_content import PAGE, essay, make_content, project_for
from tests.sitebuild import CONTENT, PROJECT, run_make, run_module

LINE = re.compile(
    r"^(?P<path>[^:]+)(?::(?P<line>\d+))?: (?P<severity>error|warning|note): "
)


def problems(content: Path, name: str | None = None) -> list[tuple[int, str, str]]:
    """(line, severity, message) for one file, or every problem's text."""
    report = check_project(project_for(content))
    found = []
    for problem in report.problems:
        if name is None or problem.path.endswith(name):
            found.append((problem.line, problem.severity, problem.message))
    return sorted(found)


def test_valid_content_has_no_problems(tmp_path):
    content = make_content(
        tmp_path,
        {"01-a.md": essay(), "02-b.md": essay("B", "b", 2, "2026-08-01 09:00")},
    )
    assert problems(content, ".md") == []


def test_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    text = essay().encode("utf-8").replace(b"The essay", b"The caf\xe9 essay")
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (10, "error", "not UTF-8 (byte 0xe9 at line 10); save the file as UTF-8")
    ]


def test_a_byte_order_mark_is_fine(tmp_path):
    content = make_content(tmp_path, {"01-a.md": "\ufeff" + essay()})
    assert problems(content, "01-a.md") == []


def test_a_field_given_twice(tmp_path):
    text = essay(extra="Date: 2026-07-02 09:00\n")
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (
            9,
            "error",
            "field 'Date' is given twice (first on line 2); Pelican uses only one",
        )
    ]


def test_a_misspelt_field_is_a_warning_with_a_suggestion(tmp_path):
    text = essay(extra="Sumary: typo\nMood: a plugin's own field, not a typo\n")
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (9, "warning", "unknown field 'Sumary': did you mean 'Summary'?")
    ]


def test_a_field_name_with_a_space_ends_the_metadata(tmp_path):
    text = essay().replace("Series_index: 1", "Series index: 1")
    content = make_content(tmp_path, {"01-a.md": text})
    found = problems(content, "01-a.md")
    assert (
        7,
        "error",
        "this line is not read as metadata (a field name is one word: letters, "
        "digits, '_' or '-'), so it and everything after it become essay text",
    ) in found
    # What follows is lost to the metadata, and check says so.
    assert (1, "error", "missing required field 'Summary'") in found


@pytest.mark.parametrize(
    "first_line", ["The essay's text.", "Here is the thing: a sentence."]
)
def test_text_right_after_the_metadata_is_a_warning(tmp_path, first_line):
    text = essay(body=f"{first_line}\nMore text.\n").replace(
        "Summary: One sentence.\n\n", "Summary: One sentence.\n"
    )
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (9, "warning", "no blank line between the metadata and the text")
    ]


def test_missing_and_empty_fields_are_errors(tmp_path):
    text = (
        essay()
        .replace("Summary: One sentence.\n", "")
        .replace("Tags: listening", "Tags:")
    )
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (1, "error", "missing required field 'Summary'"),
        (4, "error", "field 'Tags' is empty"),
    ]


def test_in_a_draft_missing_fields_are_warnings_but_a_title_is_needed(tmp_path):
    text = (
        essay(extra="Status: draft\n")
        .replace("Title: An Essay\n", "")
        .replace("Summary: One sentence.\n", "Summary:\n")
    )
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (1, "error", "missing required field 'Title'"),
        (7, "warning", "field 'Summary' is empty (needed to publish)"),
    ]


def test_a_page_needs_title_slug_and_summary(tmp_path):
    content = make_content(
        tmp_path, {"01-a.md": essay()}, pages={"about.md": "Title: About\n\nText.\n"}
    )
    assert problems(content, "about.md") == [
        (1, "error", "missing required field 'Slug'"),
        (1, "error", "missing required field 'Summary'"),
    ]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (
            "2026-02-30 09:00",
            (2, "error", "Date '2026-02-30 09:00' is not a real date"),
        ),
        ("soon", (2, "error", "Date 'soon' is not a real date")),
        (
            "2026-7-1",
            (
                2,
                "warning",
                "Date '2026-7-1' is read as 2026-07-01 00:00; write it that way "
                "(YYYY-MM-DD HH:MM)",
            ),
        ),
    ],
)
def test_dates_are_read_as_pelican_reads_them(tmp_path, date, expected):
    content = make_content(tmp_path, {"01-a.md": essay(date=date)})
    assert problems(content, "01-a.md") == [expected]


def test_a_modified_date_is_checked_too(tmp_path):
    text = essay(extra="Modified: 2026-13-01 10:00\n")
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (9, "error", "Modified '2026-13-01 10:00' is not a real date")
    ]


def test_an_unknown_status(tmp_path):
    content = make_content(tmp_path, {"01-a.md": essay(extra="Status: drafts\n")})
    assert problems(content, "01-a.md") == [
        (9, "error", "Status 'drafts' is not one of: draft, hidden, published, skip")
    ]


def test_a_slug_that_is_not_url_friendly(tmp_path):
    content = make_content(tmp_path, {"01-a.md": essay(slug="An Essay!")})
    assert problems(content, "01-a.md") == [
        (
            5,
            "warning",
            "Slug 'An Essay!' has characters that do not belong in a URL; "
            "use 'an-essay'",
        )
    ]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("three", "Series_index 'three' is not a whole number"),
        ("0", "Series_index 0 must be 1 or more"),
    ],
)
def test_a_series_index_must_be_a_counting_number(tmp_path, index, message):
    content = make_content(tmp_path, {"01-a.md": essay(index=index)})
    assert problems(content, "01-a.md") == [(7, "error", message)]


def test_a_series_index_without_a_series(tmp_path):
    text = essay().replace("Series: Understanding Customer Service\n", "")
    content = make_content(tmp_path, {"01-a.md": text})
    assert problems(content, "01-a.md") == [
        (6, "error", "Series_index is given without a Series"),
    ]


def test_an_essay_without_a_series_is_a_standalone_essay(tmp_path):
    text = essay("B", "b").replace("Series: Understanding Customer Service\n", "")
    text = text.replace("Series_index: 1\n", "")
    content = make_content(tmp_path, {"01-a.md": essay(), "02-b.md": text})
    assert problems(content) == []


def test_an_essay_in_a_series_needs_its_part_number(tmp_path):
    text = essay().replace("Series_index: 1\n", "")
    draft = essay("B", "b", extra="Status: draft\n").replace("Series_index: 1\n", "")
    content = make_content(tmp_path, {"01-a.md": text, "02-b.md": draft})
    assert problems(content) == [
        (6, "error", "an essay in a series needs a Series_index"),
        (6, "warning", "an essay in a series needs a Series_index (needed to publish)"),
    ]


def test_series_indexes_unique(tmp_path):
    content = make_content(
        tmp_path,
        {"01-a.md": essay(), "02-b.md": essay("B", "b", 1, "2026-08-01 09:00")},
    )
    assert problems(content, "02-b.md") == [
        (
            7,
            "error",
            "Series_index 1 in series 'Understanding Customer Service' is also used by "
            f"{content / 'essays' / '01-a.md'}",
        )
    ]


def test_a_draft_whose_part_is_published_is_a_warning(tmp_path):
    content = make_content(
        tmp_path,
        {
            "01-a.md": essay(),
            "02-b.md": essay("B", "b", 1, "2026-08-01 09:00", "Status: draft\n"),
        },
    )
    assert problems(content) == [
        (
            7,
            "warning",
            "Series_index 1 in series 'Understanding Customer Service' is also used by "
            f"{content / 'essays' / '01-a.md'}",
        )
    ]


GAP = (
    "series 'Understanding Customer Service' has no published part 2 before this "
    "part 3; number the parts 1, 2, 3 … without gaps"
)


def test_a_gap_in_the_published_parts_is_a_warning(tmp_path):
    content = make_content(
        tmp_path,
        {"01-a.md": essay(), "03-c.md": essay("C", "c", 3, "2026-09-01 09:00")},
    )
    assert problems(content, "03-c.md") == [(7, "warning", GAP)]


def test_a_draft_does_not_fill_a_gap_in_the_published_parts(tmp_path):
    content = make_content(
        tmp_path,
        {
            "01-a.md": essay(),
            "02-b.md": essay("B", "b", 2, "2026-08-01 09:00", "Status: draft\n"),
            "03-c.md": essay("C", "c", 3, "2026-09-01 09:00"),
        },
    )
    assert problems(content) == [(7, "warning", GAP)]


def test_two_essays_with_one_slug(tmp_path):
    content = make_content(
        tmp_path,
        {"01-a.md": essay(), "02-b.md": essay("B", "an-essay", 2, "2026-08-01 09:00")},
    )
    assert problems(content, "02-b.md") == [
        (
            5,
            "error",
            "URL 'an-essay/' (Slug 'an-essay') is also the URL of "
            f"{content / 'essays' / '01-a.md'}",
        )
    ]


def test_an_essay_and_a_page_with_one_url(tmp_path):
    content = make_content(tmp_path, {"01-a.md": essay(slug="about")}, {"a.md": PAGE})
    assert problems(content, "a.md") == [
        (
            2,
            "error",
            "URL 'about/' (Slug 'about') is also the URL of "
            f"{content / 'essays' / '01-a.md'}",
        )
    ]


def test_an_empty_essay(tmp_path):
    content = make_content(tmp_path, {"01-a.md": essay(body="")})
    assert problems(content, "01-a.md") == [
        (10, "warning", "no text after the metadata")
    ]


def test_newpost_notes_left_in_a_published_essay(tmp_path):
    body = "Text.\n\n<!-- newpost: notes for you -->\n"
    content = make_content(tmp_path, {"01-a.md": essay(body=body)})
    assert problems(content, "01-a.md") == [
        (
            12,
            "warning",
            "the notes `make newpost` wrote are still here; delete the comment "
            "before publishing",
        )
    ]


def test_links_to_missing_essays_and_images(tmp_path):
    body = (
        "See [one]({filename}/essays/01-a.md), [same folder]({filename}02-b.md#top)\n"
        "and [gone]({filename}/essays/09-gone.md).\n"
        "![a chart]({static}/images/chart.png)\n"
        "<!-- [not a link]({filename}/essays/10-in-a-comment.md) -->\n"
    )
    content = make_content(
        tmp_path,
        {
            "01-a.md": essay(),
            "02-b.md": essay("B", "b", 2, "2026-08-01 09:00", body=body),
        },
    )
    essays = content / "essays"
    assert problems(content, "02-b.md") == [
        (
            11,
            "error",
            "{filename}/essays/09-gone.md: no such file (looked for "
            f"{essays / '09-gone.md'})",
        ),
        (
            12,
            "error",
            "{static}/images/chart.png: no such file (looked for "
            f"{content / 'images' / 'chart.png'})",
        ),
    ]
    (content / "images" / "chart.png").write_bytes(b"\x89PNG")
    assert problems(content, "02-b.md") == [
        (
            11,
            "error",
            "{filename}/essays/09-gone.md: no such file (looked for "
            f"{essays / '09-gone.md'})",
        )
    ]


def test_links_to_a_draft_or_a_future_essay_are_warnings(tmp_path):
    body = "[d]({filename}/essays/02-d.md) [f]({filename}/essays/03-f.md)\n"
    content = make_content(
        tmp_path,
        {
            "01-a.md": essay(body=body),
            "02-d.md": essay("D", "d", 2, "2026-08-01 09:00", extra="Status: draft\n"),
            "03-f.md": essay("F", "f", 3, "2999-01-01 09:00"),
        },
    )
    assert problems(content, "01-a.md") == [
        (
            10,
            "warning",
            "{filename}/essays/02-d.md links to a draft: the link is broken on the "
            "published site until that essay is published",
        ),
        (
            10,
            "warning",
            "{filename}/essays/03-f.md links to an essay dated 2999-01-01 09:00, in "
            "the future: the link is broken on the published site until then",
        ),
    ]


def test_images_that_are_not_static_links(tmp_path):
    body = (
        "![a](images/a.jpg)\n"
        '<img src="../images/b.png" alt="b">\n'
        "![fine]({static}/images/c.jpg) ![remote](https://example.org/d.jpg)\n"
    )
    content = make_content(tmp_path, {"01-a.md": essay(body=body)})
    (content / "images" / "c.jpg").write_bytes(b"jpg")
    assert problems(content, "01-a.md") == [
        (
            10,
            "warning",
            "image 'images/a.jpg' is not a {static} link: it breaks in feeds and "
            "email; write {static}/images/a.jpg (the file in content/images/)",
        ),
        (
            11,
            "warning",
            "image '../images/b.png' is not a {static} link: it breaks in feeds and "
            "email; write {static}/images/b.png (the file in content/images/)",
        ),
    ]


# --- the checklist plugin's parser ---------------------------------------------


@pytest.fixture
def plugin_folder(tmp_path, monkeypatch):
    """A plugin folder of the test's own, with no other `checklists` importable."""
    folder = tmp_path / "plugins"
    folder.mkdir()
    monkeypatch.setattr(
        sys, "path", [p for p in sys.path if not (Path(p) / "checklists").exists()]
    )
    for name in [n for n in sys.modules if n.split(".")[0] == "checklists"]:
        monkeypatch.delitem(sys.modules, name)
    yield folder
    for name in [n for n in sys.modules if n.split(".")[0] == "checklists"]:
        del sys.modules[name]


def checklist_problems(tmp_path, plugin_folder, markup: str | None):
    if markup is not None:
        package = plugin_folder / "checklists"
        package.mkdir()
        (package / "__init__.py").write_text("", encoding="utf-8")
        (package / "analyse.py").write_text(markup, encoding="utf-8")
        # CHECKLISTS is read by the plugin's own dict (the real one here).
        (package / "settings.py").write_text(
            "from plugins.features.checklists.settings import CHECKLISTS\n",
            encoding="utf-8",
        )
    content = make_content(tmp_path, {"01-a.md": essay(body="Text\n::: bad\n")})
    project = project_for(content)
    project.settings["PLUGIN_PATHS"] = [str(plugin_folder)]
    return [str(p) for p in check_project(project).problems]


def test_checklist_markup_problems_come_from_the_plugins_parser(
    tmp_path, plugin_folder
):
    markup = (
        "from types import SimpleNamespace\n"
        "def analyse(text, markdown, mode):\n"
        "    return SimpleNamespace(problems=[\n"
        "        (n, 'error', 'unknown checklist option') for n, line in\n"
        "        enumerate(text.splitlines(), 1) if line.startswith(':::')])\n"
    )
    found = checklist_problems(tmp_path, plugin_folder, markup)
    path = tmp_path / "content" / "essays" / "01-a.md"
    assert found == [f"{path}:11: error: unknown checklist option"]


def test_without_the_checklist_plugin_check_says_so(tmp_path, plugin_folder):
    assert checklist_problems(tmp_path, plugin_folder, None) == [
        "authoring check: warning: checklist markup not checked: cannot import "
        "checklists.analyse (No module named 'checklists')"
    ]


def test_a_plugin_without_analyse(tmp_path, plugin_folder):
    assert checklist_problems(tmp_path, plugin_folder, "X = 1\n") == [
        "authoring check: warning: checklist markup not checked: "
        "checklists.analyse has no analyse()"
    ]


def test_a_crash_in_the_checklist_parser_names_the_file(tmp_path, plugin_folder):
    markup = "def analyse(text, markdown, mode):\n    raise RuntimeError('boom')\n"
    found = checklist_problems(tmp_path, plugin_folder, markup)
    path = tmp_path / "content" / "essays" / "01-a.md"
    assert found == [
        f"{path}: error: the checklist parser failed on this file: RuntimeError: boom"
    ]


# --- the command ------------------------------------------------------------------


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("authoring", "check", *args, timeout=60)


def test_the_real_content_has_no_errors():
    result = run_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert " error:" not in result.stdout
    assert result.stdout.splitlines()[-1].startswith("0 errors, ")


def test_errors_fail_the_command_and_each_problem_is_one_line(tmp_path):
    content = make_content(
        tmp_path,
        {"01-a.md": essay(date="2026-02-30 09:00"), "02-b.md": essay("B", "b", 2)},
    )
    result = run_check("--content", str(content))
    assert result.returncode == 1
    *lines, summary = result.stdout.splitlines()
    assert all(LINE.match(line) for line in lines), lines
    assert f"{content}/essays/01-a.md:2: error: Date '2026-02-30 09:00'" in (
        result.stdout
    )
    assert re.fullmatch(r"1 error, \d+ warnings? in 3 files", summary)


def test_warnings_alone_do_not_fail_the_command(tmp_path):
    content = make_content(tmp_path, {"01-a.md": essay(slug="An-Essay")})
    result = run_check("--content", str(content))
    assert result.returncode == 0
    assert f"{content}/essays/01-a.md:5: warning: Slug 'An-Essay'" in result.stdout


def test_check_can_report_only_the_files_named(tmp_path):
    content = make_content(
        tmp_path,
        {"01-a.md": essay(date="soon"), "02-b.md": essay("B", "b", 2, date="never")},
    )
    result = run_check("--content", str(content), str(content / "essays/02-b.md"))
    assert result.returncode == 1
    assert "02-b.md:2: error: Date 'never' is not a real date" in result.stdout
    assert "01-a.md" not in result.stdout


def test_a_missing_settings_file_is_one_clear_line(tmp_path):
    result = run_check("--settings", str(tmp_path / "nope.py"))
    assert result.returncode == 2
    assert result.stderr == f"check: error: no settings file {tmp_path / 'nope.py'}\n"


def test_settings_that_do_not_load_are_one_clear_line(tmp_path):
    broken = tmp_path / "pelicanconf.py"
    broken.write_text("THIS IS NOT PYTHON\n", encoding="utf-8")
    result = run_check("--settings", str(broken))
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"check: error: cannot read {broken}: SyntaxError: invalid syntax"
    )
    assert "Traceback" not in result.stderr


def test_a_missing_content_folder_is_one_clear_line(tmp_path):
    result = run_check("--content", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr == f"check: error: no content folder {tmp_path / 'nowhere'}\n"


# --- the checklist markup, end to end on a copy of the real content ---------------

BAD_CHECKLISTS = (
    "\n"
    "<!-- An author's note: markers in a comment are no markup.\n"
    "{: .checklist nonsense=1 }\n"
    "-->\n"
    "\n"
    "Words before a marker that has no list.\n"
    "\n"
    "{: .checklist }\n"  # +8: a marked block with no items
    "\n"
    "- one\n"
    "- two\n"
    '{: .checklist title="Two" colour=red }\n'  # +12: an unknown option
    "\n"
    "Needs: [only one thing]{: .checklist }.\n"  # +14: an inline list that won't split
)


def real_content_with(tmp_path: Path, name: str, added: str) -> tuple[Path, int]:
    """A copy of the real content with `added` after essay `name`; its first line."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    path = content / "essays" / name
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + added, encoding="utf-8")
    return content, len(text.splitlines())


def make_check(content: Path) -> subprocess.CompletedProcess[str]:
    return run_make("check", f"INPUTDIR={content}")


@pytest.mark.parametrize("command", ["make check", "python -m authoring check"])
def test_bad_checklist_markup_in_real_content(tmp_path, command):
    essay_name = "05-what-is-customer-service.md"
    content, last = real_content_with(tmp_path, essay_name, BAD_CHECKLISTS)
    if command == "make check":
        result = make_check(content)
    else:
        result = run_check("--content", str(content))
    path = content / "essays" / essay_name
    assert result.stdout.splitlines() == [
        f"{path}:{last + 8}: warning: checklist marker with no list above it: "
        "a marked block needs items",
        f"{path}:{last + 12}: warning: unknown option colour= (known: title=)",
        f"{path}:{last + 14}: warning: the marked prose list does not split into "
        "items (separate them with commas and a final 'and')",
        "0 errors, 3 warnings in 7 files",
    ], result.stderr
    assert result.returncode == 0  # warnings alone never fail the command


@pytest.mark.parametrize("command", ["make check", "python -m authoring check"])
def test_a_checklist_markup_error_fails_the_command(tmp_path, command):
    essay_name = "03-what-your-customer-wants.md"
    added = "\n- tea\n- cake\n{: .checklist #9-lives }\n"
    content, last = real_content_with(tmp_path, essay_name, added)
    if command == "make check":
        result = make_check(content)
    else:
        result = run_check("--content", str(content))
    assert result.stdout.splitlines() == [
        f"{content / 'essays' / essay_name}:{last + 4}: error: bad id #9-lives: "
        "use letters, digits, - and _, starting with a letter",
        "1 error, 0 warnings in 7 files",
    ], result.stderr
    if command == "make check":
        # make exits 2 when a recipe fails and names the recipe's own status.
        assert result.returncode == 2
        assert result.stderr.strip().endswith("check] Error 1")
    else:
        assert result.returncode == 1


def test_make_check_on_the_real_content_finds_nothing():
    result = run_make("check")
    assert result.stdout.splitlines() == ["0 errors, 0 warnings in 7 files"]
    assert result.returncode == 0, result.stderr


# --- the checklist problems' cache -------------------------------------------------


def test_checklist_problems_are_kept_per_essay_text_in_the_cache_folder(tmp_path):
    """A second `make check` reads an unchanged essay's checklist problems
    from CACHE_PATH instead of converting it; an edited essay is converted."""
    from authoring.checklist_cache import CACHE_FILE

    body = "Last week:\n\n- Fixed the login page\n- Answered the backlog\n"
    content = make_content(tmp_path, {"01-a.md": essay(body=body)})
    project = project_for(content)
    project.settings["CACHE_PATH"] = str(tmp_path / "cache")
    guess = [str(p) for p in check_project(project).problems if "guess" in str(p)]
    assert len(guess) == 1 and ": note: " in guess[0]
    cache_file = tmp_path / "cache" / CACHE_FILE
    stored = json.loads(cache_file.read_text("utf-8"))
    # What the cache says is what the check reports: it was not converted again.
    (key,) = stored
    stored[key] = [[3, "warning", "from the cache"]]
    cache_file.write_text(json.dumps(stored), "utf-8")
    again = [str(p) for p in check_project(project).problems]
    assert any(p.endswith(":3: warning: from the cache") for p in again), again
    # An edit is a new key: converted, and the file keeps only today's essays.
    essay_file = content / "essays" / "01-a.md"
    essay_file.write_text(essay_file.read_text("utf-8") + "\nMore.\n", "utf-8")
    edited = [str(p) for p in check_project(project).problems]
    assert not any("from the cache" in p for p in edited)
    assert any("on a guess" in p for p in edited)
    assert len(json.loads(cache_file.read_text("utf-8"))) == 1


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path):
    content = make_content(tmp_path, {"01-a.md": essay()})
    project = project_for(content)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    project.settings["CACHE_PATH"] = str(blocker / "cache")
    assert not [p for p in check_project(project).problems if p.severity == "error"]


# --- CHECKLISTS, read as the build reads it -------------------------------------


@pytest.mark.parametrize("command", ["check", "checklists"])
@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            'CHECKLISTS = {"defualt": "auto"}',
            'CHECKLISTS["defualt"]: unknown key (did you mean "default"?)',
        ),
        (
            'CHECKLISTS = {"default": "al"}',
            'CHECKLISTS["default"]: must be one of "auto", "marked", "none", not "al"',
        ),
        ("CHECKLISTS = 5", "CHECKLISTS: must be a dict, not int"),
    ],
)
def test_a_wrong_checklists_setting_is_the_builds_one_line(
    tmp_path, command, lines, problem
):
    """`make check` and `make checklists` read CHECKLISTS through the plugin's
    own SettingsDict: the line the build stops with, and a failure, not a
    mode guessed from a dict the build refuses."""
    from tests.test_plugin_settings import pelican, settings_file, the_one_line

    settings = settings_file(tmp_path, lines)
    line = f"{settings}: {problem}"
    options = ["--settings", str(settings), "--content", str(CONTENT)]
    result = run_module("authoring", command, *options, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", line + "\n")
    assert the_one_line(pelican(settings, tmp_path / "output")) == line
