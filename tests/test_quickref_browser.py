"""The quick reference as a reader uses it on a phone and a laptop: ticking,
folding, permalinks, copying and printing one checklist, ticks that survive
a new build, and the jump into the essay. Headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import serve
from tests.sitebuild import build
from tests.test_quickref_stability import layout_shift_while_the_script_loads

FIXTURE = Path(__file__).parent / "fixtures" / "quickref"
PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 800}
CHANGED = "changed since you ticked it"


def build_fixture(folder: Path, content: Path) -> Path:
    return build(folder / "output", content=content)


@pytest.fixture(scope="module")
def quickref_url(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("quickref")
    with serve(build_fixture(folder, FIXTURE)) as url:
        yield url


def many_essays(folder: Path, essays: int) -> Path:
    """`essays` essays of three checklists each: more than the page shows
    unfolded."""
    (folder / "essays").mkdir(parents=True)
    for number in range(1, essays + 1):
        (folder / "essays" / f"{number:02d}-essay.md").write_text(
            f"Title: Essay {number}\n"
            f"Date: 2026-{1 + (number - 1) // 28:02d}-{1 + (number - 1) % 28:02d}\n"
            f"Category: Customer Service\nTags: tag{number % 3}\n"
            f"Slug: essay-{number}\nSummary: Essay {number}.\n\n"
            + "\n\n".join(
                f"List {letter} of essay {number}:\n\n"
                + "\n".join(
                    f"- Step {step} of list {letter} in essay {number}."
                    for step in range(1, 4)
                )
                + f'\n{{: .checklist title="List {letter}{number}" }}'
                for letter in "abc"
            )
            + "\n",
            "utf-8",
        )
    return folder


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("many")
    output = build(folder / "output", content=many_essays(folder / "content", 16))
    with serve(output) as url:
        yield url, output


def open_page(browser, url: str, viewport=LAPTOP, **options):
    """A page in a context of its own; console errors fail the test."""
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    page.goto(url)
    return page


@pytest.fixture
def pages(browser):
    opened = []

    def opener(url: str, viewport=LAPTOP, **options):
        page = open_page(browser, url, viewport, **options)
        opened.append(page)
        return page

    yield opener
    for page in opened:
        errors = page.console_errors
        page.context.close()
        assert errors == [], f"console errors: {errors}"


def row(page, text: str):
    return page.locator(".quickref-item").filter(
        has=page.locator(".quickref-text", has_text=text)
    )


def checklist(page, title: str):
    return page.locator(".quickref-checklist").filter(
        has=page.locator("h3", has_text=title)
    )


def shown_titles(page) -> list[str]:
    return page.locator(".quickref-checklist:visible h3").all_inner_texts()


# --- ticking on a phone -----------------------------------------------------


def test_a_tap_on_the_items_text_ticks_it(pages, quickref_url):
    page = pages(f"{quickref_url}/quick-reference/", PHONE, has_touch=True)
    item = row(page, "Put the kettle on.")
    box = item.locator(".quickref-tick")
    item.locator(".quickref-text").tap()
    expect(box).to_be_checked()
    expect(item).to_have_class(re.compile(r"\bis-ticked\b"))
    page.reload()
    item = row(page, "Put the kettle on.")
    expect(item.locator(".quickref-tick")).to_be_checked()
    # Anywhere on the item: here its number, left of the text.
    numbered = row(page, "Unlock the door.")
    numbered.locator(".quickref-num").tap()
    expect(numbered.locator(".quickref-tick")).to_be_checked()
    item.locator(".quickref-text").tap()
    expect(item.locator(".quickref-tick")).not_to_be_checked()
    # A link in the item is still a link, and ticks nothing.
    link = row(page, "Count the till").locator(".quickref-text a")
    assert link.get_attribute("href") == "https://example.org/cash-book"
    link.evaluate("a => a.addEventListener('click', e => e.preventDefault())")
    link.click()
    expect(row(page, "Count the till").locator(".quickref-tick")).not_to_be_checked()


TARGETS = """() => {
  const targets = document.querySelectorAll(
    ".quickref-item, .quickref-tick, .quickref-goto, .quickref-tools a," +
    " .quickref-tools button, .quickref-actions button, .quickref summary," +
    " .quickref-toc-list a, .quickref-field input, .quickref-field select");
  return [...targets].filter(e => e.getClientRects().length).map(e => {
    const r = e.getBoundingClientRect();
    return {what: e.className || e.tagName, width: r.width, height: r.height};
  });
}"""


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["375", "1280"])
def test_every_tap_target_is_at_least_24_by_24_px(pages, quickref_url, viewport):
    page = pages(f"{quickref_url}/quick-reference/", viewport)
    targets = page.evaluate(TARGETS)
    kinds = {target["what"].split()[0] for target in targets}
    assert {"quickref-item", "quickref-tick", "quickref-goto"} <= kinds
    small = [t for t in targets if t["width"] < 24 or t["height"] < 24]
    assert small == []


def test_wrapped_items_hang_under_their_text_and_the_link_never_wraps_alone(
    pages, quickref_url
):
    page = pages(f"{quickref_url}/quick-reference/", {"width": 320, "height": 800})
    item = row(page, "Count the till")
    geometry = item.evaluate(
        """li => {
          const text = li.querySelector(".quickref-text");
          const range = document.createRange();
          range.selectNodeContents(text);
          // Each line's start: the leftmost box at its height.
          const starts = {};
          for (const r of range.getClientRects()) {
            const top = Math.round(r.top);
            starts[top] = Math.min(starts[top] ?? Infinity, Math.round(r.left));
          }
          const goto = li.querySelector(".quickref-goto").getBoundingClientRect();
          return {lefts: Object.values(starts), tops: Object.keys(starts),
                  gotoTop: goto.top, textTop: text.getBoundingClientRect().top,
                  lineHeight: parseFloat(getComputedStyle(text).lineHeight)};
        }"""
    )
    assert len(set(geometry["tops"])) >= 2, "the fixture item should wrap at 320 px"
    assert len(set(geometry["lefts"])) == 1  # every line starts where the first does
    assert geometry["gotoTop"] - geometry["textTop"] < geometry["lineHeight"]


def test_in_the_essay_is_once_a_checklist_and_a_quiet_mark_on_each_item(
    pages, quickref_url
):
    page = pages(f"{quickref_url}/quick-reference/")
    checklists = page.locator(".quickref-checklist")
    for index in range(checklists.count()):
        block = checklists.nth(index)
        expect(block.get_by_text("In the essay", exact=True)).to_have_count(1)
    goto = row(page, "Put the kettle on.").locator(".quickref-goto")
    expect(goto).to_have_accessible_name("In the essay")
    assert "essay" not in goto.inner_text().lower()


# --- the filter, the headings ------------------------------------------------


@pytest.mark.parametrize("where", ["site", "fixture"])
def test_the_placeholder_is_an_example_that_finds_items(
    pages, site_url, quickref_url, where
):
    base = site_url if where == "site" else quickref_url
    page = pages(f"{base}/quick-reference/")
    placeholder = page.locator("#quickref-q").get_attribute("placeholder")
    assert placeholder.startswith("e.g. ")
    words = placeholder.removeprefix("e.g. ").split()
    assert len(words) >= 2
    page.locator("#quickref-q").fill(" ".join(words))
    expect(page.locator("#quickref-count")).to_have_text(re.compile(r"^[1-9]\d* of "))
    marks = page.locator(".quickref-item:visible mark").all_text_contents()
    assert {mark.lower() for mark in marks} >= set(words)


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["375", "1280"])
def test_the_filter_controls_are_aligned(pages, site_url, viewport):
    page = pages(f"{site_url}/quick-reference/", viewport)
    boxes = [
        page.locator(selector).bounding_box()
        for selector in ("#quickref-q", "#quickref-essay", "#quickref-tag")
    ]
    assert len({round(box["height"]) for box in boxes}) == 1
    if viewport is LAPTOP:  # one row
        assert len({round(box["y"]) for box in boxes}) == 1
    else:  # the query across, the two menus under it, side by side
        assert round(boxes[1]["y"]) == round(boxes[2]["y"]) > boxes[0]["y"]
        assert boxes[0]["width"] >= boxes[1]["width"] + boxes[2]["width"]


def test_essay_and_checklist_headings_look_different(pages, site_url):
    page = pages(f"{site_url}/quick-reference/")
    # One font family for the whole site (README "The theme"): the two levels
    # differ by size and weight.
    style = """e => { const s = getComputedStyle(e);
                      return {weight: parseFloat(s.fontWeight),
                              size: parseFloat(s.fontSize)}; }"""
    essay = page.locator(".quickref-essay h2").first.evaluate(style)
    checklist = page.locator(".quickref-checklist h3").first.evaluate(style)
    assert essay["weight"] >= checklist["weight"] + 100
    assert essay["size"] >= 1.25 * checklist["size"]


# --- numbered lists, folding, permalinks --------------------------------------


def test_numbered_lists_show_their_numbers_with_the_script(pages, quickref_url):
    page = pages(f"{quickref_url}/quick-reference/")
    expect(page.locator(".quickref.has-js")).to_have_count(1)
    steps = checklist(page, "To open the shop").locator(".quickref-item")
    numbers = [
        steps.nth(i).locator(".quickref-num").all_inner_texts()
        for i in range(steps.count())
    ]
    assert numbers == [["1."], ["2."], [], ["3."]]  # the nested item has none
    first = steps.first
    box = first.locator(".quickref-tick").bounding_box()
    number = first.locator(".quickref-num").bounding_box()
    text = first.locator(".quickref-text").bounding_box()
    assert box["x"] + box["width"] <= number["x"] < text["x"]


def test_groups_fold_unfold_and_open_for_a_filter(pages, quickref_url):
    page = pages(f"{quickref_url}/quick-reference/")
    listening = page.locator("#essay-listening")
    item = row(page, "Repeat the question")
    expect(item).to_be_visible()
    listening.locator("summary").click()
    expect(item).to_be_hidden()
    expect(row(page, "Put the kettle on.")).to_be_visible()
    listening.locator("summary").click()
    expect(item).to_be_visible()
    page.get_by_role("button", name="Collapse all").click()
    expect(page.locator(".quickref-item:visible")).to_have_count(0)
    # A filter shows its matches, folded or not; cleared, the folds are back.
    page.locator("#quickref-q").fill("question")
    expect(item).to_be_visible()
    page.locator("#quickref-q").fill("")
    expect(item).to_be_hidden()
    page.get_by_role("button", name="Expand all").click()
    expect(page.locator(".quickref-item:visible")).to_have_count(
        page.locator(".quickref-item").count()
    )


def test_a_long_reference_starts_folded_and_its_contents_jump_to_an_essay(pages, many):
    url, _ = many
    page = pages(f"{url}/quick-reference/")
    assert page.locator(".quickref-checklist").count() == 48
    expect(page.locator(".quickref-item:visible")).to_have_count(0)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * LAPTOP["height"]
    toc = page.locator(".quickref-toc")
    toc.locator("summary").click()
    toc.get_by_role("link", name="Essay 9", exact=True).click()
    expect(page).to_have_url(re.compile(r"#essay-essay-9$"))
    expect(row(page, "Step 2 of list b in essay 9.")).to_be_in_viewport()
    expect(row(page, "Step 2 of list b in essay 10.")).to_be_hidden()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["375", "1280"])
def test_a_long_reference_is_folded_before_its_script_runs(browser, many, viewport):
    url, _ = many
    shift = layout_shift_while_the_script_loads(
        browser, f"{url}/quick-reference/", viewport
    )
    assert shift < 0.01, f"cumulative layout shift {shift:.3f}"


@pytest.fixture(scope="module")
def sixty(tmp_path_factory) -> Iterator[str]:
    """60 essays: more shown essays than quickref.js writes at once."""
    folder = tmp_path_factory.mktemp("sixty")
    output = build(folder / "output", content=many_essays(folder / "content", 60))
    with serve(output) as url:
        yield url


def test_a_filter_over_many_folded_essays_writes_them_all(pages, sixty):
    # Past a screenful of shown essays, quickref.js writes the rest after
    # the keystroke's frame, and a folded essay's rows when it opens.
    page = pages(f"{sixty}/quick-reference/")
    field = page.locator("#quickref-q")
    field.fill("list b in")
    expect(page.locator(".quickref-essay:visible")).to_have_count(60)
    last = page.locator("#essay-essay-60")
    last.locator("summary").click()
    expect(last.locator(".quickref-item:visible")).to_have_count(3)
    expect(last.locator(".quickref-checklist:visible h3")).to_have_text(["List b60"])
    expect(last.locator(".quickref-item:visible mark").first).to_have_text("list")
    # Narrowed to a few essays, they open; widened again, they fold.
    field.fill("essay 5")  # essays 5, 15, 25, 35, 45 and 50 to 59
    expect(page.locator(".quickref-essay:visible")).to_have_count(15)
    expect(page.locator(".quickref-item:visible")).to_have_count(15 * 9)
    field.fill("essay")
    expect(page.locator(".quickref-essay:visible")).to_have_count(60)
    expect(page.locator(".quickref-item:visible")).to_have_count(9)  # essay 60
    field.fill("xyz")
    expect(page.locator(".quickref-essay:visible")).to_have_count(0)
    expect(page.locator(".quickref-none")).to_be_visible()
    field.fill("")
    expect(page.locator(".quickref-essay:visible")).to_have_count(60)
    expect(page.get_by_role("status").first).to_have_text("540 items")


def test_each_checklist_has_a_permalink_that_opens_and_marks_it(pages, many):
    url, _ = many
    page = pages(f"{url}/quick-reference/")
    links = page.locator(".quickref-permalink")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    headings = page.locator(".quickref-checklist h3")
    ids = [headings.nth(i).get_attribute("id") for i in range(headings.count())]
    assert hrefs == ["#" + heading for heading in ids]
    assert len(set(ids)) == len(ids) == 48
    target = ids[40]  # in a folded essay near the end
    block = page.locator(f".quickref-checklist:has(#{target})")
    expect(block.locator(".quickref-item").first).to_be_hidden()  # folded
    plain = block.evaluate("e => getComputedStyle(e).backgroundColor")
    page.goto(f"{url}/quick-reference/#{target}")
    expect(block.locator(".quickref-item").first).to_be_visible()
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    assert block.evaluate("e => getComputedStyle(e).backgroundColor") != plain


def test_without_javascript_every_checklist_shows(browser, many):
    url, output = many
    data = json.loads((output / "checklists.json").read_text("utf-8"))
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{url}/quick-reference/")
        expect(page.locator(".quickref-checklist:visible")).to_have_count(
            len(data["checklists"])
        )
        expect(page.locator(".quickref-item:visible .quickref-text")).to_have_count(
            sum(len(c["items"]) for c in data["checklists"])
        )
        expect(page.locator(".quickref-filter")).to_be_hidden()
        expect(page.locator(".quickref-actions")).to_be_hidden()
        expect(page.locator(".quickref-copy").first).to_be_hidden()
    finally:
        context.close()


# --- copy, print --------------------------------------------------------------


def test_a_checklist_copies_as_markdown_with_its_ticks(pages, quickref_url):
    page = pages(
        f"{quickref_url}/quick-reference/",
        permissions=["clipboard-read", "clipboard-write"],
    )
    row(page, "Switch on the lights.").locator(".quickref-tick").check()
    copy = checklist(page, "To open the shop").locator(".quickref-copy")
    expect(copy).to_have_text("Copy as Markdown")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "## To open the shop\n\n"
        f"From “Opening the Shop”: {quickref_url}/opening/"
        "#checklist-unlock-the-door\n\n"
        "1. [ ] Unlock the door.\n"
        "2. [x] Switch on the lights.\n"
        "    - [ ] Front room first.\n"
        "3. [ ] Count the till and write the total in the"
        " [cash book](https://example.org/cash-book).\n"
    )
    checklist(page, "Closing ritual").get_by_role(
        "button", name="Copy as Markdown"
    ).click()
    expect(
        checklist(page, "Closing ritual").get_by_role("button", name="Copied")
    ).to_be_visible()
    text = page.evaluate("navigator.clipboard.readText()")
    assert "- [ ] Greet the first customer by *name*.\n" in text


def test_a_checklist_prints_alone(pages, quickref_url):
    page = pages(f"{quickref_url}/quick-reference/")
    # Headless Chromium's print() returns at once; the dialog's end is
    # "afterprint", sent below by hand.
    checklist(page, "Closing ritual").get_by_role("button", name="Print").click()
    page.emulate_media(media="print")
    assert shown_titles(page) == ["Closing ritual"]
    expect(checklist(page, "Closing ritual").locator(".quickref-item")).to_have_count(2)
    expect(page.locator("h1")).to_be_hidden()
    expect(page.locator("#essay-listening")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert len(shown_titles(page)) == 4  # the whole page again


def test_a_folded_page_prints_unfolded(pages, many):
    url, _ = many
    page = pages(f"{url}/quick-reference/?essay=essay-3")
    expect(page.locator(".quickref-item:visible")).to_have_count(9)
    page.locator("#quickref-essay").select_option("")
    expect(page.locator(".quickref-item:visible")).to_have_count(0)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(page.locator(".quickref-item:visible")).to_have_count(48 * 3)


# --- ticks: clear and undo, defaults, a new build ----------------------------


def stored_ticks(page) -> dict:
    return page.evaluate(
        "JSON.parse(localStorage.getItem('quickref-ticks-v2') || '{}')"
    )


def test_clearing_ticks_can_be_undone(pages, quickref_url):
    page = pages(f"{quickref_url}/quick-reference/")
    for text in ("Put the kettle on.", "Repeat the question"):
        row(page, text).locator(".quickref-text").click()
    before = stored_ticks(page)
    assert len(before) == 2
    page.get_by_role("button", name="Clear ticks").click()
    expect(page.locator(".quickref-item.is-ticked")).to_have_count(0)
    expect(page.locator(".quickref-undo-note")).to_contain_text(
        "3 ticks cleared."
    )  # the task item too
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    undo.click()
    expect(row(page, "Put the kettle on.").locator(".quickref-tick")).to_be_checked()
    expect(row(page, "Repeat the question").locator(".quickref-tick")).to_be_checked()
    expect(undo).to_be_hidden()
    page.reload()
    assert stored_ticks(page) == before
    expect(page.locator(".quickref-tick:checked")).to_have_count(3)  # + the task
    # Cleared for good once the reader moves on.
    page.get_by_role("button", name="Clear ticks").click()
    page.reload()
    expect(page.locator(".quickref-tick:checked")).to_have_count(0)
    expect(page.get_by_role("button", name="Undo")).to_be_hidden()


def test_task_list_items_start_ticked_and_the_readers_choice_wins(
    pages, browser, quickref_url
):
    page = pages(f"{quickref_url}/quick-reference/")
    done = row(page, "Clear the loading bay.").locator(".quickref-tick")
    expect(done).to_be_checked()
    expect(
        row(page, "Sign for the boxes.").locator(".quickref-tick")
    ).not_to_be_checked()
    done.uncheck()
    page.reload()
    expect(
        row(page, "Clear the loading bay.").locator(".quickref-tick")
    ).not_to_be_checked()
    row(page, "Clear the loading bay.").locator(".quickref-text").click()
    page.reload()
    expect(
        row(page, "Clear the loading bay.").locator(".quickref-tick")
    ).to_be_checked()
    # Without the script: shown as done.
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{quickref_url}/quick-reference/")
        expect(row(plain, "Clear the loading bay.")).to_have_class(
            re.compile(r"\bis-ticked\b")
        )
        expect(row(plain, "Sign for the boxes.")).not_to_have_class(
            re.compile(r"\bis-ticked\b")
        )
    finally:
        context.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_ticks_survive_a_new_build_and_a_changed_item_says_so(pages, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    output = build_fixture(tmp_path, content)
    with serve(output) as url:
        page = pages(f"{url}/quick-reference/")
        for text in (
            "Unlock the door.",
            "Switch on the lights.",
            "Greet the first customer",
            "Put the kettle on.",
        ):
            row(page, text).locator(".quickref-text").click()
        expect(page.locator(".quickref-item.is-ticked")).to_have_count(5)
        essay = content / "essays" / "01-opening.md"
        # An edit of the item itself (its id stays) ...
        edit(essay, "- Put the kettle on.", "- Put the kettle on for the team.")
        # ... and of an automatic list's first item, which renames the list
        # and so every item's id.
        edit(essay, "1. Unlock the door.", "1. Unlock the front door.")
        build_fixture(tmp_path, content)
        page.reload()
        assert page.locator("[id^='t-opening-checklist-unlock-the-door-']").count() == 0
        for text, changed in (
            ("Unlock the front door.", True),
            ("Switch on the lights.", False),
            ("Greet the first customer", False),
            ("Put the kettle on for the team.", True),
        ):
            item = row(page, text)
            expect(item.locator(".quickref-tick")).to_be_checked()
            note = item.locator(".quickref-changed")
            expect(note).to_have_count(1 if changed else 0)
            if changed:
                expect(note).to_have_text(CHANGED)
                expect(item.locator(".quickref-tick")).to_have_accessible_description(
                    CHANGED
                )
        expect(page.locator(".quickref-changed")).to_have_count(2)
        # Ticked again, the item is taken as it now reads.
        row(page, "Put the kettle on for the team.").locator(".quickref-text").click()
        row(page, "Put the kettle on for the team.").locator(".quickref-text").click()
        expect(page.locator(".quickref-changed")).to_have_count(1)


# --- the jump into the essay --------------------------------------------------

LANDED = """id => {
  const e = document.getElementById(id);
  const r = e.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, height: innerHeight,
          target: e.matches(":target"),
          background: getComputedStyle(e).backgroundColor,
          highlight: getComputedStyle(document.documentElement)
                       .getPropertyValue("--highlight").trim()};
}"""


def rgb(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize(
    "viewport,scheme,query,item",
    [
        (PHONE, "light", "empathy", "checklist-basic-needs-4"),
        (PHONE, "dark", "empathy", "checklist-basic-needs-4"),
        (LAPTOP, "light", "wander", "checklist-make-it-happen-4"),
    ],
    ids=["375-light-prose", "375-dark-prose", "1280-light-list"],
)
def test_the_jump_lands_on_the_item_visible_and_highlighted(
    pages, site_url, viewport, scheme, query, item
):
    page = pages(
        f"{site_url}/quick-reference/?q={query}", viewport, color_scheme=scheme
    )
    page.locator(".quickref-item:visible .quickref-goto").click()
    page.wait_for_url(re.compile(f"#{item}$"))
    # Wait for the scroll (smooth where the reader allows motion) to settle.
    page.wait_for_function(
        """id => { const top = document.getElementById(id).getBoundingClientRect().top;
                   const settled = window.__lastTop === top; window.__lastTop = top;
                   return settled; }""",
        arg=item,
        polling=100,
    )
    landed = page.evaluate(LANDED, item)
    assert landed["target"]
    assert landed["top"] >= 48, "the item sits below the top edge, not under it"
    assert landed["bottom"] <= landed["height"]
    assert landed["background"] == rgb(landed["highlight"])
