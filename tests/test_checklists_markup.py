"""The checklist markup parser: what `make check` and the build both use."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import markdown
import pytest

PLUGINS = Path(__file__).resolve().parent.parent / "plugins" / "features"
if str(PLUGINS) not in sys.path:
    sys.path.insert(0, str(PLUGINS))

from checklists.markup import find_problems, parse, slugify, split_items  # noqa: E402
from checklists.mdext import ChecklistExtension  # noqa: E402


def items_of(span: str) -> list[str]:
    return [span[start:end] for start, end in split_items(span)]


def test_prose_lists_split_at_commas_and_the_final_and():
    span = (
        "personal recognition, professionalism, patience, empathy, respect, "
        "treating them only in a courteous manner, and being understanding"
    )
    assert items_of(span) == [
        "personal recognition",
        "professionalism",
        "patience",
        "empathy",
        "respect",
        "treating them only in a courteous manner",
        "being understanding",
    ]


def test_a_final_and_without_a_comma_splits_too():
    assert items_of("tea, coffee and cake") == ["tea", "coffee", "cake"]


def test_commas_inside_links_code_and_brackets_do_not_split():
    span = "a [link, with comma](https://x.org), `code, too`, and (one, aside)"
    assert items_of(span) == [
        "a [link, with comma](https://x.org)",
        "`code, too`",
        "(one, aside)",
    ]


def test_slugs_fold_accents_and_drop_apostrophes():
    assert slugify("Don’t promise what you can’t deliver.") == (
        "dont-promise-what-you-cant-deliver"
    )
    assert slugify("Be kind to Zoë") == "be-kind-to-zoe"


def test_valid_markup_has_no_problems():
    text = (
        "Title: X\n\n- a\n- b\n"
        '{: .checklist title="A B" #ab }\n\n[x, y and z]{: .checklist }\n'
    )
    assert find_problems(text) == []
    markup = parse(text)
    assert [
        (b.line, b.options.title, b.options.explicit_id) for b in markup.blocks
    ] == [(5, "A B", "ab")]
    assert [(i.line, len(i.items)) for i in markup.inlines] == [(7, 3)]


@pytest.mark.parametrize(
    ("text", "line", "severity", "words"),
    [
        ("Intro.\n\n{: .checklist }\n", 3, "warning", "no list above it"),
        ("# Heading\n{: .checklist }\n", 2, "warning", "no list above it"),
        (
            "- a\n- b\n{: .checklist colour=red }\n",
            3,
            "warning",
            "unknown option colour=",
        ),
        ("- a\n{: .checklist .fancy }\n", 2, "warning", "unknown class .fancy"),
        ("- a\n{: .checklist .no-checklist }\n", 2, "error", "both"),
        ("- a\n{: .checklist #9x }\n", 2, "error", "bad id #9x"),
        (
            "Line one.\nSome: [only one thing]{: .checklist }.\n",
            2,
            "warning",
            "does not split",
        ),
    ],
)
def test_bad_markup_is_reported_with_its_line(text, line, severity, words):
    problems = find_problems(text)
    assert [(p[0], p[1]) for p in problems] == [(line, severity)], problems
    assert words in problems[0][2]


def test_markers_inside_fenced_code_are_not_markup():
    text = "```\n- a\n{: .checklist colour=red }\n[a, b]{: .checklist }\n```\n"
    markup = parse(text)
    assert markup.blocks == [] and markup.inlines == [] and markup.problems == []


def test_a_marker_after_a_loose_list_or_in_a_quote_is_attached():
    loose = "- a\n\n- b\n\n  more about b\n\n{: .checklist }\n"
    quoted = "> - a\n> - b\n> {: .checklist }\n"
    assert find_problems(loose) == []
    assert find_problems(quoted) == []
    assert parse(quoted).blocks[0].prefix == "> "


def render(text: str, automatic: bool = True) -> str:
    return markdown.Markdown(
        extensions=["extra", "smarty", ChecklistExtension(automatic=automatic)],
        output_format="html5",
    ).convert(text)


def test_the_extension_removes_markers_and_writes_ids():
    html = render(
        'Intro:\n\n- one\n- two\n{: .checklist title="T" }\n\n'
        "Needs: [a, b, and c]{: .checklist }.\n"
    )
    assert "{:" not in html and "qqchecklist" not in html
    assert (
        '<ul class="checklist" data-checklist-title="T" dir="auto" id="checklist-t">'
        in html
    )
    assert '<li dir="auto" id="checklist-t-1">one</li>' in html
    assert '<span class="checklist-item" id="checklist-a-1">a</span>' in html


def test_ids_survive_edits_elsewhere_in_the_essay():
    essay = (
        "- Listen first.\n- Then answer.\n\n"
        "Needs: [tea, coffee, and cake]{: .checklist }.\n"
    )
    before = render(essay)
    after = render("- A new list above.\n- With items.\n\nNew paragraph.\n\n" + essay)
    for anchor in ('id="checklist-listen-first"', 'id="checklist-tea-1"'):
        assert anchor in before and anchor in after


def test_same_first_items_get_distinct_ids():
    html = render("Do:\n\n- Same\n- a\n\nText:\n\n- Same\n- b\n")
    ids = re.findall(r' id="([^"]+)"', html)
    assert ids[:3] == ["checklist-same", "checklist-same-1", "checklist-same-2"]
    # The second list's id is none of the first's item ids (checklist-same-2).
    assert len(ids) == 6 and len(set(ids)) == 6


def test_excluded_lists_get_nothing():
    html = render("- a\n- b\n{: .no-checklist }\n")
    assert html.strip() == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"


def test_with_automatic_lists_off_only_marked_lists_count():
    html = render("- plain\n- list\n\nText.\n\n- marked\n{: .checklist }\n", False)
    assert html.count('class="checklist"') == 1
    assert 'id="checklist-marked"' in html and 'id="checklist-plain"' not in html


COMMENTED = (
    "Title: X\n"  # 1
    "\n"  # 2
    "<!-- newpost: an example\n"  # 3
    "- one\n"  # 4
    "- two\n"  # 5
    '{: .checklist title="Example" colour=red }\n'  # 6
    "Needs: [only one]{: .checklist }.\n"  # 7
    "-->\n"  # 8
    "\n"  # 9
    "Intro.\n"  # 10
    "\n"  # 11
    "{: .checklist }\n"  # 12: a real marker with no list above it
    "\n"  # 13
    "- a\n"  # 14
    "- b\n"  # 15
    "{: .checklist oops=1 }\n"  # 16
)


def test_markers_inside_html_comments_are_not_markup():
    markup = parse(COMMENTED)
    # The commented example holds an unknown option and an unsplittable
    # prose list: neither is reported, neither becomes a marker.
    assert markup.inlines == []
    assert [block.line for block in markup.blocks] == [12, 16]
    # Lines after the multi-line comment keep the file's numbering.
    assert [(line, severity) for line, severity, _ in find_problems(COMMENTED)] == [
        (12, "warning"),
        (16, "warning"),
    ]
    assert "unknown option oops=" in find_problems(COMMENTED)[1][2]


def test_an_inline_comment_hides_only_its_own_marker():
    text = (
        "Say <!-- [a, b]{: .checklist title=Old } --> it: "
        "[tea, coffee and cake]{: .checklist }.\n"
    )
    markup = parse(text)
    assert [(m.line, m.span) for m in markup.inlines] == [(1, "tea, coffee and cake")]
    html = render(text)
    assert "<!-- [a, b]{: .checklist title=Old } -->" in html
    assert 'id="checklist-tea-1"' in html and "checklist-a-1" not in html


def test_the_extension_leaves_a_commented_example_in_its_comment():
    html = render("<!--\n- x\n- y\n{: .checklist }\n-->\n\nDo:\n\n- real\n- list\n")
    assert "<!--\n- x\n- y\n{: .checklist }\n-->" in html
    assert "qqchecklist" not in html
    assert html.count('class="checklist"') == 1 and 'id="checklist-real"' in html


def test_a_comment_opener_inside_fenced_code_hides_nothing():
    text = "```\n<!--\n```\n\n- a\n- b\n{: .checklist bad=1 }\n\n-->\n"
    assert [(line, severity) for line, severity, _ in find_problems(text)] == [
        (7, "warning")
    ]
