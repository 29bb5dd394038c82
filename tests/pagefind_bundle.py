"""What a Pagefind bundle says, independent of the order pages were indexed in.

Pagefind numbers pages in the order it indexed them and names its files by a
hash of their bytes, and it writes its filters from a hash map: two runs over
the same pages differ in bytes (even two CLI runs). What a reader can find
does not: `contents()` decodes the bundle (gzip, then CBOR) and puts each
page's fragment hash in the place of its number, so that two bundles are
equal when they index the same pages with the same words, filters, sorts and
metadata.

The decoder covers the CBOR that Pagefind writes (integers, strings, arrays,
maps); no CBOR package is among the project's requirements.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def decode_cbor(data: bytes) -> Any:
    value, end = _item(data, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the CBOR value")
    return value


def _item(data: bytes, at: int) -> tuple[Any, int]:
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise ValueError(f"CBOR head {head:#x} is not one Pagefind writes")
    if major == 0:
        return argument, at
    if major == 1:
        return -1 - argument, at
    if major in (2, 3):
        raw = data[at : at + argument]
        return (raw.decode("utf-8") if major == 3 else raw), at + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(argument):
            key, at = _item(data, at)
            mapping[key], at = _item(data, at)
        return mapping, at
    if major == 7 and argument in (20, 21, 22):
        return {20: False, 21: True, 22: None}[argument], at
    raise ValueError(f"CBOR head {head:#x} is not one Pagefind writes")


def _read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind file")
    data = data[len(SIGNATURE) :]
    return json.loads(data) if path.suffix == ".pf_fragment" else decode_cbor(data)


def contents(bundle: Path) -> dict[str, Any]:
    """Everything a search can find in `bundle`, keyed by page, not by number."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    result: dict[str, Any] = {"files": {}}
    for language, about in sorted(entry["languages"].items()):
        meta_file = bundle / f"pagefind.{about['hash']}.pf_meta"
        version, pages, chunks, filters, sorts, meta_fields = _read(meta_file)
        page_of = [page_hash for page_hash, _ in pages]

        def named(numbers: list[int], page_of=page_of) -> list[str]:
            return sorted(page_of[number] for number in numbers)

        def word_pages(packed: list, page_of=page_of) -> list:
            # Page numbers are stored as the difference to the previous one.
            number, pages = 0, []
            for delta, *locations in packed:
                number += delta
                pages.append((page_of[number], locations))
            return sorted(pages)

        words = {}
        for _, _, chunk_hash in chunks:
            chunk = _read(bundle / "index" / f"{chunk_hash}.pf_index")[0]
            for word, pages_of_word, variants in chunk:
                words[word] = (
                    word_pages(pages_of_word),
                    sorted((form, word_pages(packed)) for form, packed in variants),
                )
        result[language] = {
            "version": version,
            "page_count": about["page_count"],
            "wasm": about["wasm"],
            "pages": sorted(map(tuple, pages)),
            "chunk_ranges": [(start, end) for start, end, _ in chunks],
            "words": words,
            "filters": {
                name: {
                    value: named(numbers)
                    for value, numbers in _read(
                        bundle / "filter" / f"{filter_hash}.pf_filter"
                    )[1]
                }
                for name, filter_hash in filters
            },
            # A sort's order is its meaning: kept as it is (pages with equal
            # values follow the indexing order: none of this site's pages
            # has a sort value).
            "sorts": [(name, [page_of[n] for n in numbers]) for name, numbers in sorts],
            "meta_fields": meta_fields,
            "fragments": {
                page_hash: _read(bundle / "fragment" / f"{page_hash}.pf_fragment")
                for page_hash in page_of
            },
        }
    result["entry"] = {key: value for key, value in entry.items() if key != "languages"}
    # The scripts, styles and WebAssembly: the same bytes from the same binary.
    for path in sorted(bundle.iterdir()):
        own = path.name.endswith(".pf_meta") or path.name == "pagefind-entry.json"
        if path.is_file() and not own:
            result["files"][path.name] = path.read_bytes()
    return result


def page_urls(bundle: Path) -> list[str]:
    """The URL of every indexed page, sorted."""
    found = contents(bundle)
    return sorted(
        fragment["url"]
        for language, about in found.items()
        if language not in ("files", "entry")
        for fragment in about["fragments"].values()
    )
