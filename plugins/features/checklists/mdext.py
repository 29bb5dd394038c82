"""A Python-Markdown extension: checklist markers become ids and classes.

The preprocessor removes every marker the parser in markup.py finds, so a
reader never sees one: a list marker becomes a placeholder paragraph that the
treeprocessor resolves against the list above it; a prose list becomes raw
<span> tags around its items (Markdown still formats the words inside).
The treeprocessor then gives every checklist its class and a stable id, and
every item an id of its own.

Before that, gfm_lists.py rewrites lists the way GitHub reads them, so that
Python-Markdown reads them alike; and the treeprocessor decides which
unmarked lists are checklists (decide.py), ticks GitHub's task-list items and
puts a link to the quick reference after each checklist.

Ids come from an explicit #id, else the title, else the first item's words
(a short hash of them when they are not in Latin letters), never from a
position in the essay: editing elsewhere does not move them. A list's id is
chosen so that neither it nor any of its items' ids is taken.
"""

from __future__ import annotations

import difflib
import json
import re
import xml.etree.ElementTree as etree
from html import escape, unescape

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .decide import LONG_LIST, Decision, ListFacts, decide, is_imperative
from .gfm_lists import ListShape, normalize
from .markup import ERROR, NOTE, WARNING, InlineMarker, Options, parse, stable_slug

ID_PREFIX = "checklist-"
LIST_CLASS = "checklist"
INLINE_CLASS = "checklist-inline"
ITEM_CLASS = "checklist-item"
TITLE_ATTRIBUTE = "data-checklist-title"
PROBLEMS_METADATA = "checklist_problems"
DECISIONS_METADATA = "checklist_decisions"
REF_CLASS = "checklist-ref"
# An empty paragraph after each checklist, filled in with the link to its
# place on the quick reference once the essay's URL is known (plugin.py):
# empty until then, so that it adds no words to the reading time.
REF_ATTRIBUTE = "data-checklist-ref"
MODES = ("auto", "marked", "none")
_HEADER_FIELD = re.compile(r"^(?P<key>[A-Za-z][\w-]*):[ \t]*(?P<value>.*)$")
_STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")
_INLINE_ID = re.compile(f'class="{INLINE_CLASS}" id="([^"]+)"')
_TASK = re.compile(r"^\[(?P<mark>[ xX])\][ \t]+")
# A word no essay holds: it survives Markdown's inline processing untouched.
_PLACEHOLDER = "qqchecklistmarkerqq{}qq"
_CLOSE_TOKEN = "\x0e/\x0f"
_TOKEN = re.compile("\x0e(/|\\d+)\x0f")


class ChecklistExtension(Extension):
    """Registered by the plugin; `enabled` is False while pages are read."""

    def __init__(
        self,
        mode: str = "auto",
        ref_link: bool = True,
        automatic: bool | None = None,
        **kwargs,
    ) -> None:
        self.enabled = True
        # The site's default for an essay without a Checklists: field;
        # automatic=False, the older switch, is "marked".
        self.mode = "marked" if automatic is False else mode
        # A link to the quick reference after each checklist.
        self.ref_link = ref_link
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        state = _State()
        # For `make check` and `make checklists` (analyse.py), which convert
        # one essay at a time and read what the conversion found.
        self.last_state = state
        # Before "meta" (27), so that line numbers are the file's own.
        md.preprocessors.register(
            _MarkerPreprocessor(md, self, state), "checklists", 28
        )
        # After "toc" (5), so heading ids are known and never reused.
        md.treeprocessors.register(
            _ChecklistTreeprocessor(md, self, state), "checklists", 4
        )
        md.postprocessors.register(_TokenPostprocessor(md, state), "checklists", 1)


def with_checklists(markdown: dict, extension: ChecklistExtension) -> list:
    """The MARKDOWN setting's extensions with `extension` (and no other
    instance) and sane_lists: as GitHub does, a numbered list after a
    bulleted one is a list of its own and keeps its first number
    (gfm_lists.py does the rest)."""
    extensions = [
        e
        for e in markdown.get("extensions", [])
        if not isinstance(e, ChecklistExtension)
    ]
    named = [*map(str, extensions), *markdown.get("extension_configs", {})]
    if not any("sane_lists" in name for name in named):
        extensions.append("markdown.extensions.sane_lists")
    return [*extensions, extension]


class _State:
    """What one conversion's preprocessor tells its treeprocessor."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.block_options: list[Options] = []
        self.taken_ids: set[str] = set()
        self.open_tags: list[str] = []
        self.problems: list[tuple[int, str, str]] = []
        self.shapes: list[ListShape] = []
        self.mode = ""
        self.decisions: list[dict] = []


def unique_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


def unique_list_id(wanted: str, taken: set[str], count: int) -> str:
    """An id such that neither it nor `<id>-1` … `<id>-<count>` is taken;
    all of them are taken once chosen."""
    candidate, n = wanted, 1
    while candidate in taken or any(
        f"{candidate}-{k}" in taken for k in range(1, count + 1)
    ):
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    taken.update(f"{candidate}-{k}" for k in range(1, count + 1))
    return candidate


def checklist_id(
    options: Options, first_item: str, taken: set[str], count: int = 0
) -> str:
    if options.explicit_id:
        return unique_list_id(options.explicit_id, taken, count)
    slug = stable_slug(options.title or first_item) or "list"
    return unique_list_id(ID_PREFIX + slug, taken, count)


def essay_mode(lines: list[str], default: str) -> tuple[str, list]:
    """The essay's `Checklists:` field (the header runs to the first blank
    line), else the site's default; and the problem with a wrong value."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            break
        match = _HEADER_FIELD.match(line)
        if not match:
            break
        if match.group("key").lower() != "checklists":
            continue
        value = match.group("value").strip().lower()
        if value in MODES:
            return value, []
        message = (
            f"Checklists: {match.group('value').strip()!r} is not one of "
            f"auto, marked, none (the site's default, {default}, is used)"
        )
        return default, [(number, ERROR, message)]
    return default, []


class _MarkerPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: ChecklistExtension, state: _State):
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        state = self.state
        state.reset()
        state.mode, state.problems = essay_mode(lines, self.extension.mode)
        text = "\n".join(lines)
        breaks: dict[int, str] = {}  # marker line -> its block-quote prefix
        if "{:" in text:
            markup = parse(text)
            state.problems += markup.problems
            # Inline rewriting keeps the line count: block markers still match.
            lines = self._rewrite_inline(text, markup.inlines).split("\n")
            for marker in markup.blocks:
                index = marker.line - 1
                if not marker.follows_list:
                    lines[index] = marker.prefix.rstrip()
                    continue
                state.block_options.append(marker.options)
                token = _PLACEHOLDER.format(len(state.block_options) - 1)
                lines[index] = marker.prefix + token
                breaks[index] = marker.prefix
        normalized = normalize(lines, frozenset(breaks))
        state.shapes = normalized.shapes
        out: list[str] = []
        for line, source in zip(normalized.lines, normalized.origin, strict=True):
            if source in breaks and line == lines[source]:
                # A blank line first: the placeholder becomes a paragraph of
                # its own right after the list, even when the marker hugged it.
                out.append(breaks[source].rstrip())
            out.append(line)
        return out

    def _rewrite_inline(self, text: str, inlines: list[InlineMarker]) -> str:
        pieces, position = [], 0
        for marker in inlines:
            pieces.append(text[position : marker.start])
            pieces.append(self._inline_html(marker))
            position = marker.end
        pieces.append(text[position:])
        return "".join(pieces)

    def _inline_html(self, marker: InlineMarker) -> str:
        span = marker.span
        if (
            marker.options.exclude
            or len(marker.items) < 2
            or not self.extension.enabled
            or self.state.mode == "none"
        ):
            return span
        first = span[marker.items[0][0] : marker.items[0][1]]
        list_id = checklist_id(
            marker.options, first, self.state.taken_ids, len(marker.items)
        )
        self.state.decisions.append(
            {
                "line": marker.line,
                "kept": True,
                "reason": "marked prose list",
                "id": list_id,
            }
        )
        attributes = f'class="{INLINE_CLASS}" id="{escape(list_id)}"'
        if marker.options.title:
            attributes += f' {TITLE_ATTRIBUTE}="{escape(marker.options.title)}"'
        out, position = [self._tag(f"<span {attributes}>")], 0
        for number, (start, end) in enumerate(marker.items, 1):
            out.append(span[position:start])
            item_id = f"{escape(list_id)}-{number}"
            out.append(self._tag(f'<span class="{ITEM_CLASS}" id="{item_id}">'))
            out.append(span[start:end])
            out.append(_CLOSE_TOKEN)
            position = end
        out.append(span[position:])
        out.append(_CLOSE_TOKEN)
        return "".join(out)

    def _tag(self, html: str) -> str:
        # Raw HTML here would be stashed by Markdown and split the paragraph's
        # text for every inline pattern: measurably slower. A control
        # character token passes through untouched; the postprocessor swaps it.
        self.state.open_tags.append(html)
        return f"\x0e{len(self.state.open_tags) - 1}\x0f"


class _ChecklistTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, extension: ChecklistExtension, state: _State):
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, root: etree.Element) -> None:
        marked = self._resolve_placeholders(root)
        if self.extension.enabled:
            self._checklists(root, marked)
        self._keep_problems()

    def _checklists(self, root: etree.Element, marked: dict[int, Options]) -> None:
        state = self.state
        parents = {child: parent for parent in root.iter() for child in parent}
        taken = state.taken_ids
        taken.update(el.get("id") for el in root.iter() if el.get("id"))
        lists = _top_level_lists(root, parents)
        structural = [_container_class(element, parents) for element in lists]
        read = [el for el, box in zip(lists, structural, strict=True) if not box]
        lines = self._compare_with_github(read, parents)
        for element, box in zip(lists, structural, strict=True):
            items = list(element.iter("li"))
            for item in items:
                _task_box(item)
            if not items:
                continue
            line = lines.get(id(element), 0)
            options = marked.get(id(element))
            decision = self._decision(element, items, options, box, parents)
            record = {"line": line, "kept": decision.kept, "reason": decision.reason}
            state.decisions.append(record)
            self._warn(line, decision, items, options)
            if not decision.kept:
                continue
            options = options or Options()
            text = self._plain(_own_text(items[0]))
            list_id = checklist_id(options, text, taken, len(items))
            record["id"] = list_id
            classes = (element.get("class", "") + " " + LIST_CLASS).strip()
            element.set("class", classes)
            element.set("id", list_id)
            element.set("dir", "auto")
            if options.title:
                element.set(TITLE_ATTRIBUTE, options.title)
            for number, item in enumerate(items, 1):
                item.set("id", f"{list_id}-{number}")
                item.set("dir", "auto")
            self._link_after(element, list_id, parents)
        self._link_after_inline_lists(root, parents)

    def _decision(self, element, items, options, box, parents) -> Decision:
        mode = self.state.mode
        if mode == "none":
            return Decision(False, "the essay says Checklists: none")
        if options is not None:
            if options.exclude:
                return Decision(False, "marked {: .no-checklist }")
            return Decision(True, "marked {: .checklist }")
        if mode == "marked":
            return Decision(False, "unmarked, and the essay takes marked lists only")
        texts = [self._plain(_own_text(item)) for item in items]
        terms = [_term(item) for item in items]
        facts = ListFacts(
            items=texts,
            lead_in=self._plain(_lead_in(element, parents)),
            heading=self._plain(_heading_above(element, parents)),
            ordered=element.tag == "ol",
            in_quote=any(a.tag == "blockquote" for a in _ancestors(element, parents)),
            in_footnotes=box == "footnote",
            in_toc=box == "toc",
            link_only=all(_only_a_link(item) for item in items),
            term_items=sum(1 for t in terms if t),
            term_verbs=sum(1 for t in terms if t and is_imperative(self._plain(t))),
            top_level=sum(1 for item in element if item.tag == "li"),
            tasks=sum(1 for item in items if "task-list-item" in item.get("class", "")),
        )
        return decide(facts)

    def _warn(self, line, decision: Decision, items, options) -> None:
        if options is not None or self.state.mode != "auto" or not line:
            return
        problems = self.state.problems
        first = self._plain(_own_text(items[0]))[:60]
        if decision.guess:
            verdict = "kept as a checklist" if decision.kept else "left out"
            # A note: the list publishes as the build reads it either way,
            # and imported essays are full of guesses (docs/checklists.md "Checklists").
            problems.append(
                (
                    line,
                    NOTE,
                    f"list “{first}” {verdict} on a guess ({decision.reason}); "
                    "mark it {: .checklist } or {: .no-checklist } to decide",
                )
            )
        if decision.kept and len(items) > LONG_LIST:
            problems.append(
                (
                    line,
                    WARNING,
                    f"a checklist of {len(items)} items: split it, or mark it "
                    "{: .no-checklist } if it is not one",
                )
            )
        elif decision.kept and len(items) == 1:
            problems.append(
                (line, WARNING, f"a checklist of one item (“{first}”): is it one?")
            )

    def _compare_with_github(self, lists, parents) -> dict[int, int]:
        """Each list's line in the file, from the CommonMark reading; a warning
        wherever Python-Markdown still reads the lists otherwise."""
        shapes = self.state.shapes
        ours = [_shape_of(element, parents) for element in lists]
        theirs = [(s.ordered, tuple(s.depths)) for s in shapes]
        matcher = difflib.SequenceMatcher(a=theirs, b=ours, autojunk=False)
        lines: dict[int, int] = {}
        for tag, a0, a1, b0, _ in matcher.get_opcodes():
            if tag == "equal":
                for k in range(a1 - a0):
                    lines[id(lists[b0 + k])] = shapes[a0 + k].line
                continue
            for k in range(a0, a1):
                shape = shapes[k]
                nested = sum(1 for d in shape.depths if d)
                self.state.problems.append(
                    (
                        shape.line,
                        WARNING,
                        f"this list is read differently from GitHub (there: "
                        f"{len(shape.depths)} items, {nested} nested); "
                        "indent nested items by 2-4 spaces under their parent's "
                        "text and leave a blank line above the list",
                    )
                )
        return lines

    def _link_after(self, element, list_id: str, parents) -> None:
        if not self.extension.ref_link:
            return
        parent = parents.get(element)
        if parent is None:
            return
        paragraph = etree.Element("p", {"class": REF_CLASS, REF_ATTRIBUTE: list_id})
        paragraph.tail = element.tail
        element.tail = "\n"
        parent.insert(list(parent).index(element) + 1, paragraph)

    def _link_after_inline_lists(self, root, parents) -> None:
        """After the paragraph holding a prose checklist: not inside the text."""
        tags = self.state.open_tags
        if not tags:
            return
        for paragraph in list(root.iter("p")):
            found = _TOKEN.findall("".join(paragraph.itertext()))
            for token in found:
                if token == "/":
                    continue
                match = re.search(
                    r'class="checklist-inline" id="([^"]+)"', tags[int(token)]
                )
                if match:
                    self._link_after(paragraph, unescape(match.group(1)), parents)

    def _plain(self, text: str) -> str:
        """Text with Markdown's stash placeholders resolved: smart quotes and
        entities as characters, raw inline HTML left out."""
        if "\x02" not in text:
            return " ".join(text.split())
        stash = self.md.htmlStash.rawHtmlBlocks

        def resolve(match: re.Match) -> str:
            index = int(match.group(1))
            value = stash[index] if index < len(stash) else ""
            if isinstance(value, str) and value.startswith("&"):
                return unescape(value)
            return ""

        return " ".join(_STASHED.sub(resolve, text).split())

    def _keep_problems(self) -> None:
        """Hand the problems to Pelican as metadata: cached with the content,
        so a build that reads the essay from the cache still warns."""
        # "meta" is registered only for the essay's own conversion, not for
        # Pelican's second run over the Summary.
        meta = getattr(self.md, "Meta", None)
        if "meta" not in self.md.preprocessors or meta is None:
            return
        if self.state.problems:
            self.state.problems.sort()
            meta[PROBLEMS_METADATA] = [json.dumps(self.state.problems)]
        if self.state.decisions:
            self.state.decisions.sort(key=lambda decision: decision["line"])
            meta[DECISIONS_METADATA] = [json.dumps(self.state.decisions)]

    def _resolve_placeholders(self, root: etree.Element) -> dict[int, Options]:
        """Remove the placeholder paragraphs; the options of the list above each."""
        marked: dict[int, Options] = {}
        for parent in list(root.iter()):
            children = list(parent)
            for position, child in enumerate(children):
                text = (child.text or "").strip()
                if (
                    child.tag != "p"
                    or len(child)
                    or not text.startswith("qqchecklistmarkerqq")
                ):
                    continue
                number = int(
                    text.removeprefix("qqchecklistmarkerqq").removesuffix("qq")
                )
                previous = children[position - 1] if position else None
                if previous is not None and previous.tag in ("ul", "ol"):
                    marked[id(previous)] = self.state.block_options[number]
                parent.remove(child)
        return marked


class _TokenPostprocessor(Postprocessor):
    def __init__(self, md: Markdown, state: _State):
        super().__init__(md)
        self.state = state

    def run(self, text: str) -> str:
        if not self.state.open_tags:
            return text
        tags = self.state.open_tags

        def swap(match: re.Match) -> str:
            token = match.group(1)
            return "</span>" if token == "/" else tags[int(token)]

        return _TOKEN.sub(swap, text)


def _top_level_lists(root: etree.Element, parents) -> list[etree.Element]:
    """Lists that are not inside another list, in document order."""
    found = []
    for tag in ("ul", "ol"):
        for element in root.iter(tag):
            node = parents.get(element)
            while node is not None and node.tag not in ("ul", "ol"):
                node = parents.get(node)
            if node is None:
                found.append(element)
    # root.iter in C, by tag; put back in document order.
    order = {element: n for n, element in enumerate(root.iter())} if found else {}
    return sorted(found, key=order.__getitem__)


def _own_text(item: etree.Element) -> str:
    """An item's words without its nested lists, stash placeholders kept."""
    parts = [item.text or ""]
    for child in item:
        if child.tag not in ("ul", "ol") and not _is_footnote_ref(child):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _is_footnote_ref(element) -> bool:
    if element.tag == "sup":
        return any("footnote-ref" in (a.get("class") or "") for a in element.iter("a"))
    return "footnote-backref" in (element.get("class") or "")


def _ancestors(element, parents):
    node = parents.get(element)
    while node is not None:
        yield node
        node = parents.get(node)


def _container_class(element, parents) -> str:
    """ "footnote" or "toc" when the list is Markdown's own footnotes or
    [TOC]; "" for the author's lists."""
    for ancestor in _ancestors(element, parents):
        classes = (ancestor.get("class") or "").split()
        if ancestor.tag == "div" and "footnote" in classes:
            return "footnote"
        if ancestor.tag == "div" and "toc" in classes:
            return "toc"
    return ""


def _shape_of(element, parents) -> tuple[bool, tuple[int, ...]]:
    depths = []
    for item in element.iter("li"):
        depth, node = 0, parents.get(item)
        while node is not None and node is not element:
            depth += node.tag == "li"
            node = parents.get(node)
        depths.append(depth)
    return element.tag == "ol", tuple(depths)


def _previous(element, parents):
    parent = parents.get(element)
    if parent is None:
        return None
    siblings = list(parent)
    position = siblings.index(element)
    for sibling in reversed(siblings[:position]):
        if REF_CLASS not in (sibling.get("class") or "").split():
            return sibling
    return None


def _lead_in(element, parents) -> str:
    """The paragraph right above, or a heading right above ("By the end of
    your first week, the following will be true…")."""
    previous = _previous(element, parents)
    if previous is not None and (previous.tag == "p" or previous.tag in _HEADING_TAGS):
        return "".join(previous.itertext())
    return ""


_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _heading_above(element, parents) -> str:
    node = element
    while node is not None:
        parent = parents.get(node)
        if parent is None:
            return ""
        siblings = list(parent)
        for sibling in reversed(siblings[: siblings.index(node)]):
            if sibling.tag in _HEADING_TAGS:
                return "".join(sibling.itertext())
        node = parent
    return ""


def _only_a_link(item) -> bool:
    """An item that is one link (and punctuation), perhaps with nested links."""
    children = [c for c in item if c.tag not in ("ul", "ol")]
    if item.tag == "li" and len(children) == 1 and children[0].tag == "p":
        return _only_a_link(children[0])
    links = [c for c in children if c.tag == "a"]
    text = (item.text or "") + "".join((c.tail or "") for c in children)
    others = [c for c in children if c.tag != "a" and not _is_footnote_ref(c)]
    if len(links) != 1 or others:
        return False
    return not re.sub(r"[\W_]", "", text)


def _term(item) -> str:
    """The **Term** of a "**Term:** definition" item, else ""."""
    holder = item
    if len(item) and item[0].tag == "p" and not (item.text or "").strip():
        holder = item[0]
    if (holder.text or "").strip() or not len(holder):
        return ""
    first = holder[0]
    if first.tag not in ("strong", "b"):
        return ""
    term = "".join(first.itertext())
    tail = (first.tail or "").lstrip()
    if term.rstrip().endswith((":", "：")) or tail.startswith((":", "–", "—", "- ")):
        return term.rstrip(" :：")
    return ""


def _task_box(item) -> None:
    """GitHub's task-list item, `[ ]` or `[x]` first: a box, ticked or not."""
    holder = item
    if not (item.text or "").strip() and len(item) and item[0].tag == "p":
        holder = item[0]
    match = _TASK.match(holder.text or "")
    if not match:
        return
    attributes = {"type": "checkbox", "disabled": "disabled"}
    if match.group("mark") != " ":
        attributes["checked"] = "checked"
    box = etree.Element("input", attributes)
    box.tail = holder.text[match.end() :]
    holder.text = ""
    holder.insert(0, box)
    item.set("class", (item.get("class", "") + " task-list-item").strip())
