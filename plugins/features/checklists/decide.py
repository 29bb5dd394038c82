"""Whether an unmarked list reads as a checklist: structure first, then a score.

Some lists are never checklists, whatever they say: footnotes, tables of
contents, lists whose items are only links (navigation, "Further reading"),
lists under a heading such as "Resources" or "References", glossaries of
**Term:** definitions. The rest are scored on what a reader of a quick
reference would act on:

    +2  the paragraph above introduces the list (it ends with ":" or "?")
    +2  a heading or lead-in that names a checklist ("Checklist", "Before you…",
        "Steps", "Tips", "Questions to ask", "Do's and don'ts" …)
    +2  most items start with a verb in the imperative ("Ask", "Don't", "Be")
    +2  most items are questions
    +3  a task list (`- [ ]`, `- [x]`)
    +1  a numbered list
    +1  2 to 25 items (top-level ones)
    -3  one item
    -2  more than 25 items
    -3  a lead-in announcing reasons, kinds, options or notes
    -2  inside a block quote (a quoted sample, a status update)
    -2  most items report in the past tense ("Shipped", "Fixed")
    -3  items that are names, products or quotes

A list with 2 or more is kept. A list kept with exactly 2, or left out with
exactly 1 although something above spoke for it, was decided on a guess, and
the author is told with a note (`make check`, `make checklists`, the build
log at info level): never a warning, so `make publish` goes on.
The essay's `Checklists:` field or a `{: .checklist }` / `{: .no-checklist }`
marker overrides all of this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEEP_AT = 2
LONG_LIST = 25

# Headings (or lead-ins) whose lists are references, not things to do.
_REFERENCE_HEADING = re.compile(
    r"^(further|more|recommended|suggested|additional)?\s*"
    r"(reading|readings|reading list|resources|references|links|sources|"
    r"see also|related|related (articles|posts|reading|links|pages)|useful links|"
    r"bibliography|contents|table of contents|footnotes|notes|credits|"
    r"acknowledge?ments|downloads|read more|learn more|about the authors?|"
    r"contributors|changelog|license|on this page|in this (article|guide|post|page)|"
    r"external links|tools|glossary|definitions|terms|index)$",
    re.IGNORECASE,
)
_CHECKLIST_WORDS = re.compile(
    r"\b(check ?lists?|steps?|how to|before (you|the|a|an|your|starting|calling)|"
    r"after (you|the|a|an|your)|tips|to-?dos?|do'?s|don'?ts|dos and don|"
    r"questions|rules|guidelines|best practices|things to|ways to|make sure|"
    r"remember|prepare|preparation|tasks|procedure|checks|must|should|"
    r"what to|when to|requirements|criteria)\b",
    re.IGNORECASE,
)
# A lead-in that announces reasons, kinds or options, not things to do.
_NOT_STEPS = re.compile(
    r"\b(reasons?|types|kinds|sorts|ways(?! to)|avenues|options|notes|"
    r"could be|either)\b",
    re.IGNORECASE,
)
# Common verbs that start an instruction. Enough to recognise the habit;
# an unknown verb costs a list 2 points, not its place.
_VERBS = """
    accept acknowledge act add adjust agree allow always answer apologise
    apologize apply archive arrange ask assign assume attach avoid be begin
    book bring build call calm cancel capture celebrate change charge check
    choose clarify clean clear close collect come commit communicate compare
    complete confirm connect consider contact continue copy correct count
    create cut decide define delegate delete describe design determine do
    document dont double download drop edit email empathise empathize enable
    encourage end ensure enter escalate establish estimate explain file fill
    find finish fix focus follow forward gather get give go greet group
    handle hang have help highlight hold identify ignore imagine include
    inform install introduce invite keep know label learn leave let link
    list listen lock log look make mark measure meet mention merge monitor
    move name never note notice notify offer open order organise organize
    pause pay pick plan please plug point practice practise prepare print
    prioritise prioritize promise protect provide put quote rate reach read
    record reduce refer reflect refund remember remind remove reopen
    rephrase reply report request reset resolve respect respond rest restart
    review reward run save say schedule search see select send set share
    show sign skip smile solve speak spend start state stay stop submit
    summarise summarize switch tag take talk tell test thank think track
    train treat triage try turn type unlock update use verify wait walk want
    wash watch water welcome write
"""
_IMPERATIVES = frozenset(_VERBS.split())
# What speaks for a list, for telling a near miss from a plain list.
_EVIDENCE = {
    "introduced by its lead-in",
    "items are instructions",
    "items are questions",
}
# Past-tense or report words that start a status update rather than a task.
_REPORT_WORDS = {"was", "were", "had", "did", "got", "went", "made", "sent"}
_SMALL_WORDS = {"and", "of", "the", "for", "a", "an", "to", "in", "on", "&", "by"}
_QUOTE_OPENERS = ("“", '"', "‘", "'", "«", "„")


@dataclass
class ListFacts:
    """What the decision looks at, gathered by the Markdown extension."""

    items: list[str]  # each item's own text, plain
    lead_in: str  # the paragraph right above, "" when there is none
    heading: str  # the nearest heading above, ""
    ordered: bool
    in_quote: bool
    in_footnotes: bool
    in_toc: bool
    link_only: bool  # every item is just a link
    term_items: int  # items that start with a **Term:**
    term_verbs: int  # of those, terms that are instructions
    top_level: int = 0  # items not nested in another item
    tasks: int = 0  # GitHub task-list items (`- [ ]`)


@dataclass
class Decision:
    kept: bool
    reason: str
    guess: bool = False


def first_word(text: str) -> str:
    match = re.search(r"[^\W\d_][\w'’-]*", text)
    return re.sub(r"['’]", "", match.group().lower()) if match else ""


def is_imperative(text: str) -> bool:
    word = first_word(text)
    return word in _IMPERATIVES or text.lower().startswith(("do not", "make sure"))


def _looks_like_names(items: list[str]) -> bool:
    for item in items:
        words = item.split()
        if not words or len(words) > 6 or item.rstrip()[-1:] in ".!?:;":
            return False
        big = [w for w in words if w.lower() not in _SMALL_WORDS]
        capitals = sum(1 for w in big if w[:1].isupper() or w[:1].isdigit())
        if not big or capitals < 0.6 * len(big):
            return False
        # "Help Scout" is a name; "Help the customer" is an instruction.
        if is_imperative(item) and (capitals < len(big) or len(big) == 1):
            return False
    return True


def _looks_like_quotes(items: list[str]) -> bool:
    return all(item.lstrip().startswith(_QUOTE_OPENERS) for item in items)


def _reports(items: list[str]) -> bool:
    past = 0
    for item in items:
        word = first_word(item)
        if (word.endswith("ed") and word not in _IMPERATIVES) or word in _REPORT_WORDS:
            past += 1
    return past * 2 > len(items)


def _is_question(item: str) -> bool:
    return item.rstrip(' )”’"').endswith(("?", "؟", "？"))


def introduces(lead_in: str) -> bool:
    # "When we write docs, we…" goes on in each item: it introduces them too.
    ends = (":", "?", "：", "؟", "…", "...")
    return lead_in.rstrip(' \u00a0)”’"').endswith(ends)


def is_reference_title(text: str) -> bool:
    return bool(_REFERENCE_HEADING.match(text.strip().rstrip(":").strip()))


def decide(facts: ListFacts) -> Decision:
    """Keep or leave out an unmarked list, and why (one line, for authors)."""
    if facts.in_footnotes:
        return Decision(False, "footnotes")
    if facts.in_toc:
        return Decision(False, "a table of contents ([TOC])")
    if facts.link_only:
        return Decision(False, "every item is only a link (navigation or a link list)")
    heading_above = facts.lead_in == facts.heading  # no paragraph between
    if facts.lead_in and is_reference_title(facts.lead_in) and not heading_above:
        return Decision(False, f"under the lead-in “{facts.lead_in.rstrip(':')}”")
    if is_reference_title(facts.heading) and (
        heading_above or not introduces(facts.lead_in)
    ):
        return Decision(False, f"under the heading “{facts.heading}”")
    count = len(facts.items)
    if facts.term_items * 3 >= count * 2 and facts.term_verbs * 2 < facts.term_items:
        return Decision(False, "a glossary (**Term:** definition items)")
    score, why = 0, []
    if introduces(facts.lead_in):
        score += 2
        why.append("introduced by its lead-in")
    named = next(
        (t for t in (facts.heading, facts.lead_in) if _CHECKLIST_WORDS.search(t)), ""
    )
    if named:
        score += 2
        why.append(f"“{_short(named)}” names a checklist")
    if count and sum(map(is_imperative, facts.items)) * 2 >= count:
        score += 2
        why.append("items are instructions")
    if count and sum(_is_question(i) for i in facts.items) * 2 >= count:
        score += 2
        why.append("items are questions")
    if facts.tasks * 2 >= count:
        score += 3
        why.append("a task list")
    if facts.ordered:
        score += 1
        why.append("numbered")
    # Its length is that of its top-level steps: sub-steps make no list long.
    count = facts.top_level or count
    if count == 1:
        score -= 3
        why.append("one item")
    elif count > LONG_LIST:
        score -= 2
        why.append(f"{count} items")
    else:
        score += 1
        why.append(f"{count} items")
    if _NOT_STEPS.search(facts.lead_in):
        score -= 3
        why.append("its lead-in announces reasons, kinds or options")
    if facts.in_quote:
        score -= 2
        why.append("in a block quote")
    if _reports(facts.items):
        score -= 2
        why.append("items report in the past tense")
    if _looks_like_names(facts.items):
        score -= 3
        why.append("items are names")
    elif _looks_like_quotes(facts.items):
        score -= 3
        why.append("items are quotes")
    kept = score >= KEEP_AT
    # A near miss only counts as a guess when something spoke for the list.
    signals = {
        "introduced by its lead-in",
        "items are instructions",
        "items are questions",
    }
    evidence = named or signals & set(why)
    guess = score == KEEP_AT or (score == KEEP_AT - 1 and bool(evidence))
    return Decision(kept, f"score {score}: {', '.join(why)}", guess)


def _short(text: str, words: int = 6) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
