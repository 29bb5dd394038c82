"""Full Pelican builds: the seeds' checklists, the fixtures' forms, the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.sitebuild import PROJECT, build, copy_content, run_module, run_pelican

FIXTURES = Path(__file__).parent / "fixtures" / "checklists"


GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]


def load_json(site: Path) -> dict:
    return json.loads((site / "checklists.json").read_text("utf-8"))


def by_title(document: dict) -> dict[str, dict]:
    return {checklist["title"]: checklist for checklist in document["checklists"]}


def texts(checklist: dict) -> list[str]:
    return [item["text"] for item in checklist["items"]]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return build(
        tmp_path_factory.mktemp("fixture") / "output", content=FIXTURES / "good"
    )


# --- the five seed essays -------------------------------------------------


def test_the_seeds_checklists_all_come_out(site):
    checklists = by_title(load_json(site))
    assert (
        texts(checklists["Make it happen"])[0]
        == "Don’t promise what you can’t deliver."
    )
    assert len(checklists["Make it happen"]["items"]) == 4
    assert texts(checklists["Basic needs"]) == [
        "personal recognition",
        "professionalism",
        "patience",
        "empathy",
        "respect",
        "treating them only in a courteous manner",
        "being understanding",
    ]
    assert texts(checklists["Your customer wants several things"]) == [
        "They want to feel good.",
        "They want to feel that they have received excellent value.",
        "They also want to feel special.",
    ]
    assert texts(checklists["What the verb serve means"]) == [
        "to be of use",
        "to prove adequate or satisfactory",
        "to wait on customers",
        "to furnish or supply with something needed or desired",
        "to answer the needs of",
    ]
    keep = "If you want to KEEP a customer, however, you have to treat him or her"
    assert texts(checklists[keep]) == ["fairly", "kindly", "as if you care"]


def test_checklists_follow_the_series_order(site):
    order = [c["series_index"] for c in load_json(site)["checklists"]]
    assert order == sorted(order) and order[0] == 2 and order[-1] == 5


def test_every_anchor_exists_in_its_essay(site):
    document = load_json(site)
    assert document["checklists"]
    for checklist in document["checklists"]:
        for anchor in [checklist["anchor"], *(i["anchor"] for i in checklist["items"])]:
            path, fragment = anchor.split("#")
            html = (site / path / "index.html").read_text("utf-8")
            assert BeautifulSoup(html, "html.parser").find(id=fragment), anchor


def test_the_make_it_happen_list_is_marked_in_the_essay(site):
    html = (site / "what-is-customer-service" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    checklist = soup.select_one(".essay-body > ul.checklist")
    assert checklist["id"] == "checklist-make-it-happen"
    assert [li["id"] for li in checklist.find_all("li")] == [
        f"checklist-make-it-happen-{n}" for n in range(1, 5)
    ]
    assert "{:" not in soup.get_text()


def test_the_json_carries_the_documented_fields(site):
    document = load_json(site)
    assert document["version"] == 1
    checklist = by_title(document)["Make it happen"]
    assert checklist["essay_url"] == "what-is-customer-service/"
    assert checklist["essay_title"] == "What is Customer Service?"
    assert checklist["anchor"] == "what-is-customer-service/#checklist-make-it-happen"
    assert checklist["date"].startswith("2026-11-01")
    assert checklist["tags"] == ["make it happen", "listening", "experience"]
    assert checklist["form"] == "list" and checklist["ordered"] is False
    assert set(checklist["items"][0]) == {
        "id",
        "anchor",
        "text",
        "html",
        "depth",
        "checked",
    }
    assert checklist["items"][0]["checked"] is False
    assert checklist["kept_because"] == "marked {: .checklist }"


def test_the_quick_reference_page_lists_every_item(site):
    html = (site / "quick-reference" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select(".quickref-item")
    total = sum(len(c["items"]) for c in load_json(site)["checklists"])
    assert len(rows) == total
    essays = [h.get_text(strip=True) for h in soup.select(".quickref-essay h2")]
    assert essays[0] == "What does customer service mean to you?"
    assert essays[-1] == "What is Customer Service?"
    goto = soup.select_one(".quickref-item a.quickref-goto")["href"]
    assert goto == "../what-does-customer-service-mean-to-you/#checklist-basic-needs-1"
    assert soup.select_one("script:not([src])") is None
    assert soup.select_one("[style]") is None


# --- the fixture essays: each form ---------------------------------------


def test_each_form_comes_out_of_the_fixtures(fixture_site):
    checklists = by_title(load_json(fixture_site))
    assert texts(checklists["Greeting a customer"]) == [
        "Smile when they come in.",
        "Say hello and use their name.",
        "Offer a seat.",
    ]
    assert checklists["To open the shop"]["ordered"] is True
    assert texts(checklists["Morning routine"]) == [
        "Check the calendar for visits.",
        "Water the plants.",
    ]
    assert checklists["Simple habits"]["form"] == "inline"
    assert checklists["A list with an explicit id"]["id"] == "follow-up"
    assert "A list nobody should tick" not in checklists
    assert not any("Apples" in texts(c) for c in checklists.values())


def test_inline_formatting_is_kept_and_the_rest_escaped(fixture_site):
    checklists = by_title(load_json(fixture_site))
    greeting = checklists["Greeting a customer"]["items"]
    assert greeting[1]["html"] == "Say <em>hello</em> and use their name."
    assert greeting[2]["html"] == 'Offer a <a href="https://example.org/seat">seat</a>.'
    habits = checklists["Simple habits"]["items"]
    assert habits[2]["html"] == (
        "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code> in code"
    )
    code_like = checklists["Things that look like code"]["items"]
    # Unknown inline HTML shows by its text; a script shows nothing.
    assert code_like[0]["html"] == "A raw tag in an item."
    assert code_like[1]["html"] == "Use <b>bold</b> and underline here."
    assert code_like[2]["html"] == 'See the <a href="every-form/">first essay</a>.'


def test_script_in_an_item_is_text_on_the_quick_reference(fixture_site):
    html = (fixture_site / "quick-reference" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select(".quickref-item script") == []
    texts_shown = [li.get_text(" ", strip=True) for li in soup.select(".quickref-item")]
    assert any("<script>alert(1)</script>" in text for text in texts_shown)
    link = soup.find("a", string="first essay")
    assert link["href"] == "../every-form/"


def test_nested_and_quoted_lists(fixture_site):
    checklists = by_title(load_json(fixture_site))
    nested = checklists["What to prepare"]["items"]
    assert [(i["text"], i["depth"]) for i in nested] == [
        ("The room", 0),
        ("chairs for everyone", 1),
        ("a clean table", 1),
        ("The papers", 0),
    ]
    assert texts(checklists["As the manager said"]) == [
        "Be on time.",
        "Be kind to Zoë.",
    ]


def test_non_ascii_text_and_author(fixture_site):
    document = load_json(fixture_site)
    quoted = by_title(document)["As the manager said"]
    assert quoted["author"] == "Zoë Example"
    raw = (fixture_site / "checklists.json").read_text("utf-8")
    assert "Zoë" in raw


def test_drafts_hidden_essays_and_pages_contribute_nothing(fixture_site):
    outputs = [
        (fixture_site / "checklists.json").read_text("utf-8"),
        (fixture_site / "quick-reference" / "index.html").read_text("utf-8"),
    ]
    for text in outputs:
        for marker in ["xyzzy", "plugh", "frobnicate", "Unpublished", "Hidden"]:
            assert marker not in text
    about = (fixture_site / "about" / "index.html").read_text("utf-8")
    assert "checklist" not in about


def test_a_draft_added_to_the_real_content_changes_nothing(tmp_path, site):
    content = copy_content(tmp_path / "content")
    (content / "essays" / "06-draft.md").write_text(
        (FIXTURES / "good" / "essays" / "03-draft.md").read_text("utf-8"), "utf-8"
    )
    output = build(tmp_path / "output", content=content)
    assert load_json(output)["checklists"] == load_json(site)["checklists"]
    index_files = list((output / "pagefind").rglob("*"))
    assert index_files  # Pagefind ran; its own search test checks the results


# --- bad markup and settings ---------------------------------------------


def pelican_without_fatal_warnings(content: Path, output: Path, settings: Path):
    return run_pelican(
        output,
        settings=settings,
        content=content,
        fatal_warnings=False,
        env={"COLUMNS": "400"},
    )


def test_bad_markup_warns_with_file_and_line_and_the_build_goes_on(tmp_path):
    result = pelican_without_fatal_warnings(
        FIXTURES / "bad", tmp_path / "output", PROJECT / "pelicanconf.py"
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "essays/01-bad.md:10: checklist markup: checklist marker with no list" in log
    assert "essays/01-bad.md:14: checklist markup: unknown option colour=" in log
    assert (
        "essays/01-bad.md:16: checklist markup: the marked prose list does not" in log
    )
    assert "essays/01-bad.md:20: checklist markup error: bad id #9bad" in log
    document = load_json(tmp_path / "output")
    kept = [
        c
        for c in document["checklists"]
        if texts(c) == ["kept item one", "kept item two"]
    ]
    assert len(kept) == 1
    page = (tmp_path / "output" / "bad-markup" / "index.html").read_text("utf-8")
    assert "{:" not in page and "[just one thing]" not in page
    assert "just one thing" in page


def test_a_wrong_setting_stops_the_build_with_one_clear_line(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(
        "from pelicanconf import *\n"
        f"PLUGIN_PATHS = {PLUGIN_FOLDERS!r}\n"
        f"THEME = {str(PROJECT / 'theme')!r}\n"
        "CHECKLISTS = {'page_urls': 'x/'}\n",
        "utf-8",
    )
    result = run_module(
        "pelican",
        str(FIXTURES / "good"),
        "-o",
        str(tmp_path / "o"),
        "-s",
        str(settings),
        env={"PYTHONPATH": str(PROJECT)},
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f'{settings}: CHECKLISTS["page_urls"]: unknown key (did you mean "page_url"?)'
    )
    assert "Traceback" not in result.stderr


def test_numbered_lists_stay_numbered_on_the_quick_reference(fixture_site):
    html = (fixture_site / "quick-reference" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find("h3", string="To open the shop")
    items = heading.find_parent("section").select("ol.quickref-items > li")
    assert [li.select_one(".quickref-text").get_text() for li in items] == [
        "Unlock the door.",
        "Switch on the lights.",
        "Count the till.",
    ]
    byline = soup.select_one("#essay-nested-and-quoted .quickref-byline").get_text()
    assert "Zoë Example" in byline
