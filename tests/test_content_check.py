"""The build checks the content with `make check`'s engine
(plugins/machinery/content_check).

Real builds, `make html` and `make publish`, on copies of the content with one
mistake each.
"""

from __future__ import annotations

import re

from tests.sitebuild import PROJECT, copy_content, make_in, run_pelican

ESSAY = "essays/05-what-is-customer-service.md"
SITEURL = {"SITEURL": "https://essays.example.org"}
# The issue's own case: a date that does not exist.
IMPOSSIBLE_DATE = "Date: 2026-02-30 09:00"


def edit(content, relative, change) -> None:
    path = content / relative
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def with_date(date_line: str):
    return lambda text: re.sub(r"(?m)^Date:.*$", date_line, text, count=1)


def last_good_site(output):
    (output / "about").mkdir(parents=True)
    (output / "about" / "index.html").write_text("last good site")
    return output


def make(tmp_path, target, content, output, env=None):
    return make_in(
        PROJECT,
        "-s",
        "--no-print-directory",
        target,
        f"INPUTDIR={content}",
        f"OUTPUTDIR={output}",
        f"PELICANOPTS=--cache-path {tmp_path / 'cache'}",
        env=env,
    )


def assert_unchanged(output) -> None:
    assert (output / "about" / "index.html").read_text() == "last good site"
    assert sorted(p.name for p in output.iterdir()) == ["about"]


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if ": error: " in line]


def test_make_html_names_an_impossible_date_in_one_line_and_builds_nothing(
    tmp_path,
):
    content = copy_content(tmp_path / "content")
    edit(content, ESSAY, with_date(IMPOSSIBLE_DATE))
    output = last_good_site(tmp_path / "output")
    result = make(tmp_path, "html", content, output)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert error_lines(log) == [
        f"{content / ESSAY}:2: error: Date '2026-02-30 09:00' is not a real date"
    ]
    assert "Traceback" not in log
    assert "Could not process" not in log
    assert_unchanged(output)


def test_make_publish_stops_on_an_impossible_date_and_keeps_the_site(tmp_path):
    content = copy_content(tmp_path / "content")
    edit(content, ESSAY, with_date(IMPOSSIBLE_DATE))
    output = last_good_site(tmp_path / "output")
    result = make(tmp_path, "publish", content, output, SITEURL)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{content / ESSAY}:2: error: Date '2026-02-30 09:00'" in log
    assert "Traceback" not in log
    assert "Could not process" not in log
    assert_unchanged(output)


def unreadable_html_essay(content):
    """A file the engine does not read (HTML) with a date Pelican cannot read."""
    (content / "essays" / "odd.html").write_text(
        "<html><head><title>Odd</title>"
        '<meta name="date" content="2026-02-30"><meta name="slug" content="odd">'
        "</head><body><p>Odd.</p></body></html>",
        "utf-8",
    )
    return content / "essays" / "odd.html"


def test_a_file_pelican_cannot_read_is_one_line_with_the_reason(tmp_path):
    content = copy_content(tmp_path / "content")
    odd = unreadable_html_essay(content)
    output = last_good_site(tmp_path / "output")
    # make check passes (it reads Markdown only): the build itself stops.
    result = make(tmp_path, "publish", content, output, SITEURL)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert error_lines(log) == [
        f"{odd}: error: Pelican cannot read it "
        "(ValueError: '2026-02-30' is not a valid date)"
    ]
    assert "Could not process" not in log
    assert "Traceback" not in log
    assert_unchanged(output)


def test_engine_warnings_are_in_the_build_log_and_do_not_stop_it(tmp_path):
    content = copy_content(tmp_path / "content")
    # Part 7 with no part 6: a gap in the published parts, a warning.
    edit(
        content,
        ESSAY,
        lambda text: re.sub(r"(?m)^Series_index:.*$", "Series_index: 7", text),
    )
    result = run_pelican(tmp_path / "output", content=content)
    assert result.returncode == 0, result.stdout + result.stderr
    warning = re.compile(
        rf"^{re.escape(str(content / ESSAY))}:\d+: warning: series "
        r"'Understanding Customer Service' has no published part 5 before this part 7",
        re.M,
    )
    assert warning.search(result.stderr), result.stderr


def test_checklist_markup_is_reported_once_by_the_checklists_plugin(tmp_path):
    content = copy_content(tmp_path / "content")
    edit(content, ESSAY, lambda text: text + "\nIntro.\n\n{: .checklist }\n")
    result = run_pelican(tmp_path / "output", content=content, fatal_warnings=False)
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert log.count("checklist marker with no list above it") == 1, log
