"""`make newpost`: the next essay as a draft, never overwriting a file."""

from __future__ import annotations

import datetime
import shutil

import pytest

from authoring.check import check_project
from authoring.header import parse_header
from authoring.newpost import NewpostError, plan, write
from tests.authoring_content import essay, make_content, project_for
from tests.sitebuild import CONTENT, build, run_make, run_module


def fields(text: str) -> dict[str, str]:
    return {field.key: field.value for field in parse_header(text).fields}


@pytest.fixture
def content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def test_the_next_essay_after_the_five(content):
    new = plan(project_for(content), "Listening, Then Acting: It’s Simple")
    write(new)
    assert new.path == content / "essays" / "06-listening-then-acting-its-simple.md"
    text = new.path.read_text("utf-8")
    assert fields(text) == {
        "Title": "Listening, Then Acting: It’s Simple",
        "Date": "2026-12-01 09:00",
        "Category": "Customer Service",
        "Tags": "",
        "Slug": "listening-then-acting-its-simple",
        "Series": "Understanding Customer Service",
        "Series_index": "6",
        "Summary": "",
        "Status": "draft",
    }
    # No author is invented when the settings name none.
    assert "\nAuthor:" not in text
    assert "<!-- newpost:" in text


def test_the_author_comes_from_the_settings(content):
    project = project_for(content)
    project.settings["NEWPOST_AUTHOR"] = "Jane Example"
    new = plan(project, "A Title")
    assert fields(new.text)["Author"] == "Jane Example"


def test_numbers_dates_and_parts_follow_the_latest(tmp_path):
    content = make_content(
        tmp_path,
        {
            "007-a.md": essay("A", "a", 1, "2026-01-31 18:30"),
            "012-b.md": essay("B", "b", 2, "2026-03-31 18:30"),
            "notes.txt": "not an essay",
        },
    )
    new = plan(project_for(content), "C")
    assert new.path.name == "013-c.md"
    assert fields(new.text)["Date"] == "2026-04-30 18:30"  # no 31 April
    assert fields(new.text)["Series_index"] == "3"


def test_the_first_essay_of_all(tmp_path):
    content = make_content(tmp_path, {})
    new = plan(project_for(content), "First", today=datetime.date(2026, 11, 23))
    assert new.path.name == "01-first.md"
    assert fields(new.text)["Date"] == "2026-12-01 09:00"
    assert "Series" not in fields(new.text)


def test_a_new_draft_passes_check_with_warnings_only(content):
    write(plan(project_for(content), "A Title"))
    report = check_project(project_for(content))
    mine = [p for p in report.problems if "06-a-title.md" in p.path]
    assert report.errors == 0
    assert {(p.severity, p.message) for p in mine} == {
        ("warning", "field 'Tags' is empty (needed to publish)"),
        ("warning", "field 'Summary' is empty (needed to publish)"),
    }


def test_a_new_draft_builds_and_its_notes_are_not_rendered(content, tmp_path):
    write(plan(project_for(content), "A Title"))
    output = build(tmp_path / "output", content=content)
    html = (output / "drafts" / "a-title" / "index.html").read_text("utf-8")
    assert "<li>Listen first.</li>" not in html  # the example stays a comment
    assert "<!-- newpost:" in html


@pytest.mark.parametrize(
    ("title", "slug", "message"),
    [
        ("   ", None, 'a title is needed: make newpost TITLE="The essay\'s title"'),
        (
            "!!!",
            None,
            "cannot make a URL slug from the title '!!!'; give one with --slug",
        ),
        (
            "Fine",
            "Not A Slug",
            "the slug 'Not A Slug' has characters that do not belong in a URL; "
            "try 'not-a-slug'",
        ),
        (
            "Customer Disservice",
            None,
            "the slug 'customer-disservice' is already used by {essays}/"
            "01-customer-disservice.md; choose another title or give a slug "
            "with --slug",
        ),
        (
            "About",
            None,
            "the slug 'about' is already used by {content}/pages/about.md; choose "
            "another title or give a slug with --slug",
        ),
    ],
)
def test_what_newpost_refuses(content, title, slug, message):
    with pytest.raises(NewpostError) as error:
        plan(project_for(content), title, slug)
    assert str(error.value) == message.format(
        essays=content / "essays", content=content
    )


def test_an_existing_file_is_never_overwritten(content):
    new = plan(project_for(content), "A Title")
    new.path.write_text("someone else's words", encoding="utf-8")
    with pytest.raises(NewpostError) as error:
        write(new)
    assert str(error.value) == f"{new.path} already exists; nothing was written"
    assert new.path.read_text("utf-8") == "someone else's words"


def test_make_newpost_takes_quotes_in_a_title_and_refuses_a_second_run(content):
    title = """It's "quoted" & (semi-)colon-rich; isn’t it?"""
    first = run_make("newpost", f"INPUTDIR={content}", f"TITLE={title}")
    assert first.returncode == 0, first.stderr
    path = content / "essays" / "06-its-quoted-semi-colon-rich-isnt-it.md"
    assert fields(path.read_text("utf-8"))["Title"] == title
    assert f"Created {path}: a draft dated 2026-12-01 09:00" in first.stdout
    before = path.read_text("utf-8")

    second = run_make("newpost", f"INPUTDIR={content}", f"TITLE={title}")
    assert second.returncode != 0
    slug = "its-quoted-semi-colon-rich-isnt-it"
    assert f"newpost: error: the slug '{slug}' is already used" in second.stderr
    assert path.read_text("utf-8") == before


def test_make_newpost_without_a_title(content):
    result = run_module(
        "authoring",
        "newpost",
        "--content",
        str(content),
        env={"PATH": "/usr/bin:/bin"},
        inherit_env=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        'newpost: error: a title is needed: make newpost TITLE="The essay\'s title"\n'
    )
    assert sorted(p.name for p in (content / "essays").iterdir()) == sorted(
        p.name for p in (CONTENT / "essays").iterdir()
    )
