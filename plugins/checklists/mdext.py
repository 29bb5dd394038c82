"""A Python-Markdown extension: checklist markers become ids and classes.

The preprocessor removes every marker the parser in markup.py finds, so a
reader never sees one: a list marker becomes a placeholder paragraph that the
treeprocessor resolves against the list above it; a prose list becomes raw
<span> tags around its items (Markdown still formats the words inside).
The treeprocessor then gives every checklist its class and a stable id, and
every item an id of its own.

Ids come from an explicit #id, else the title, else the first item's words,
never from a position in the essay: editing elsewhere does not move them.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree
from html import escape

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .markup import InlineMarker, Options, parse, slugify

ID_PREFIX = "checklist-"
LIST_CLASS = "checklist"
INLINE_CLASS = "checklist-inline"
ITEM_CLASS = "checklist-item"
TITLE_ATTRIBUTE = "data-checklist-title"
PROBLEMS_METADATA = "checklist_problems"
# A word no essay holds: it survives Markdown's inline processing untouched.
_PLACEHOLDER = "qqchecklistmarkerqq{}qq"
_CLOSE_TOKEN = "\x0e/\x0f"
_TOKEN = re.compile("\x0e(/|\\d+)\x0f")


class ChecklistExtension(Extension):
    """Registered by the plugin; `enabled` is False while pages are read."""

    def __init__(self, automatic: bool = True, **kwargs) -> None:
        self.enabled = True
        # False: only lists marked {: .checklist } are checklists.
        self.automatic = automatic
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        state = _State()
        # Before "meta" (27), so that line numbers are the file's own.
        md.preprocessors.register(
            _MarkerPreprocessor(md, self, state), "checklists", 28
        )
        # After "toc" (5), so heading ids are known and never reused.
        md.treeprocessors.register(
            _ChecklistTreeprocessor(md, self, state), "checklists", 4
        )
        md.postprocessors.register(_TokenPostprocessor(md, state), "checklists", 1)


class _State:
    """What one conversion's preprocessor tells its treeprocessor."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.block_options: list[Options] = []
        self.taken_ids: set[str] = set()
        self.open_tags: list[str] = []
        self.problems: list[tuple[int, str, str]] = []


def unique_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


def checklist_id(options: Options, first_item: str, taken: set[str]) -> str:
    if options.explicit_id:
        return unique_id(options.explicit_id, taken)
    slug = slugify(options.title or first_item) or "list"
    return unique_id(ID_PREFIX + slug, taken)


class _MarkerPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: ChecklistExtension, state: _State):
        super().__init__(md)
        self.extension = extension
        self.state = state

    def run(self, lines: list[str]) -> list[str]:
        self.state.reset()
        text = "\n".join(lines)
        if "{:" not in text:
            return lines
        markup = parse(text)
        self.state.problems = markup.problems
        text = self._rewrite_inline(text, markup.inlines)
        lines = text.split("\n")
        # Inline rewriting keeps line count, so block marker lines still match.
        for marker in reversed(markup.blocks):
            index = marker.line - 1
            if not marker.follows_list:
                lines[index] = marker.prefix.rstrip()
                continue
            self.state.block_options.append(marker.options)
            token = _PLACEHOLDER.format(len(self.state.block_options) - 1)
            # A blank line first: the placeholder becomes a paragraph of its
            # own right after the list, even when the marker hugged the list.
            lines[index : index + 1] = [marker.prefix.rstrip(), marker.prefix + token]
        return lines

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
        ):
            return span
        first = span[marker.items[0][0] : marker.items[0][1]]
        list_id = checklist_id(marker.options, first, self.state.taken_ids)
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
        self._keep_problems()
        marked = self._resolve_placeholders(root)
        if not self.extension.enabled:
            return
        taken = self.state.taken_ids
        taken.update(el.get("id") for el in root.iter() if el.get("id"))
        for element in _top_level_lists(root):
            options = marked.get(id(element))
            if options is None and not self.extension.automatic:
                continue
            options = options or Options()
            if options.exclude:
                continue
            items = list(element.iter("li"))
            if not items:
                continue
            list_id = checklist_id(options, _own_text(items[0]), taken)
            classes = (element.get("class", "") + " " + LIST_CLASS).strip()
            element.set("class", classes)
            element.set("id", list_id)
            if options.title:
                element.set(TITLE_ATTRIBUTE, options.title)
            for number, item in enumerate(items, 1):
                item.set("id", f"{list_id}-{number}")

    def _keep_problems(self) -> None:
        """Hand the problems to Pelican as metadata: cached with the content,
        so a build that reads the essay from the cache still warns."""
        # "meta" is registered only for the essay's own conversion, not for
        # Pelican's second run over the Summary.
        meta = getattr(self.md, "Meta", None)
        if self.state.problems and "meta" in self.md.preprocessors and meta is not None:
            meta[PROBLEMS_METADATA] = [json.dumps(self.state.problems)]

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


def _top_level_lists(root: etree.Element):
    """Lists that are not inside another list, in document order."""
    stack = [(root, False)]
    found = []
    while stack:
        element, inside_list = stack.pop()
        is_list = element.tag in ("ul", "ol")
        if is_list and not inside_list:
            found.append(element)
        for child in reversed(list(element)):
            stack.append((child, inside_list or is_list))
    return found


def _own_text(item: etree.Element) -> str:
    """An item's words without its nested lists (Markdown's stash aside)."""
    parts = [item.text or ""]
    for child in item:
        if child.tag not in ("ul", "ol"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    # Markdown's stash placeholders (smart quotes, raw HTML) are not words.
    return " ".join(re.sub("\x02[^\x03]*\x03", "", "".join(parts)).split())
