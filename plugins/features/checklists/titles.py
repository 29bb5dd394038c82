"""A checklist's title from the words around it, never cut mid-sentence.

The paragraph right above a list is its title only when it introduces the
list (it ends with ":" or "?"): its last sentence, split with care for
abbreviations ("Dr. Smith") and ellipses ("the engineer… will"). A sentence
too long to scan is shortened at a clause, or the nearest heading is used.
A generic word ("Examples", "For example", "Resources") gives way to the
heading above.
"""

from __future__ import annotations

import re

from .decide import introduces

MAX_TITLE = 100
# Words that end with a full stop and do not end a sentence.
_ABBREVIATIONS = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "mx",
    "prof",
    "sr",
    "jr",
    "st",
    "mt",
    "ft",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "eg",
    "ie",
    "cf",
    "approx",
    "dept",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "nos",
    "vol",
    "fig",
    "p",
    "pp",
    "ca",
    "al",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "min",
    "max",
    "tel",
    "ext",
    "ref",
    "u.s",
    "u.k",
    "a.m",
    "p.m",
    "op",
    "ed",
    "est",
    "gen",
    "gov",
    "rev",
    "hon",
    "sgt",
}
_CANDIDATE_END = re.compile(r"([.!?…]+|\.\.\.)([\"”’)\]]*)(\s+)")
_GENERIC = {
    "example",
    "examples",
    "for example",
    "for instance",
    "e.g",
    "eg",
    "such as",
    "resources",
    "notes",
    "note",
    "see also",
    "including",
    "like",
    "here",
    "here they are",
    "these",
    "the following",
    "as follows",
    "follows",
    "list",
    "the list",
    "items",
    "options",
    "more",
    "details",
    "tip",
    "tips",
    "steps",
    "ideas",
    "some examples",
    "examples include",
}
_CLAUSE_BREAK = re.compile(r"(?<=[,;—–])\s+|\s+(?=[—–]\s)")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; an abbreviation or an ellipsis before a
    lower-case word does not end one."""
    sentences, start = [], 0
    for match in _CANDIDATE_END.finditer(text):
        after = text[match.end() : match.end() + 1]
        if after and after.islower():
            continue  # "the engineer… will determine", "e.g. a refund"
        word = re.search(r"([\w.]+)$", text[start : match.start()])
        if match.group(1) == "." and word:
            token = word.group(1).lower().rstrip(".")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue  # "Dr. Smith", "J. Smith"
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _clean(sentence: str) -> str:
    return sentence.strip().rstrip(" :;,—–-：").strip()


def is_generic(title: str) -> bool:
    return _clean(title).lower().rstrip(".") in _GENERIC


def _shortened(sentence: str) -> str:
    """The longest run of whole trailing clauses within MAX_TITLE, else ""."""
    clauses = _CLAUSE_BREAK.split(sentence)
    for first in range(1, len(clauses)):
        tail = " ".join(clauses[first:]).strip()
        if len(tail) <= MAX_TITLE and len(tail.split()) >= 3:
            return tail[0].upper() + tail[1:] if tail[:1].islower() else tail
    return ""


def sentence_before(text: str) -> str:
    """The last sentence of `text`, without its closing colon: a lead-in."""
    sentences = split_sentences(" ".join(text.split()))
    return _clean(sentences[-1]) if sentences else ""


def list_title(lead_in: str, heading: str) -> str:
    """A list's title from its lead-in paragraph and the heading above it."""
    heading = _clean(heading)
    good_heading = heading if heading and not is_generic(heading) else ""
    candidate = sentence_before(lead_in) if introduces(lead_in) else ""
    if candidate and is_generic(candidate):
        candidate = ""
    if candidate and len(candidate) > MAX_TITLE:
        candidate = good_heading or _shortened(candidate) or candidate
    return candidate or good_heading or heading
