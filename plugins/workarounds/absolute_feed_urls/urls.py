"""Every URL in an HTML fragment made absolute: lxml only, no Pelican.

Shared by the plugin (feed entries at build time) and the email digest
(`digest.text`, entries of whatever feed it is pointed at), so both resolve
links, sources and srcsets the same way.
"""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html


def _absolute_srcset(srcset: str, base: str) -> str:
    # lxml's make_links_absolute leaves srcset alone ("a.png 1x, b.png 2x").
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(base, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def absolutize_html(html: str, base: str) -> str:
    """`html` (a fragment) with every link, source and srcset made absolute."""
    if not html or not html.strip():
        return html
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.make_links_absolute(base, resolve_base_href=True)
    for element in wrapper.iter():
        srcset = element.get("srcset") if isinstance(element.tag, str) else None
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, base))
    return (wrapper.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in wrapper
    )
