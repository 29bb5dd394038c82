"""PAGEFIND_SEARCH: validated once, with a clear message for a wrong entry."""

from __future__ import annotations

DEFAULTS = {
    # False: the build writes no index (the devserver indexes after its
    # builds itself, so that the page reload does not wait for the index).
    "build_index": True,
}


class PagefindSettingsError(SystemExit):
    """PAGEFIND_SEARCH in the settings is wrong; the build stops."""


def read_settings(settings: dict) -> dict:
    given = settings.get("PAGEFIND_SEARCH")
    if given is None:
        return dict(DEFAULTS)
    if not isinstance(given, dict):
        raise PagefindSettingsError(
            f"pelican: PAGEFIND_SEARCH must be a dict, got {type(given).__name__}"
        )
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise PagefindSettingsError(
            f"pelican: PAGEFIND_SEARCH has unknown key(s) {unknown}; "
            f"known: {sorted(DEFAULTS)}"
        )
    merged = {**DEFAULTS, **given}
    if not isinstance(merged["build_index"], bool):
        raise PagefindSettingsError(
            "pelican: PAGEFIND_SEARCH['build_index'] must be true or false, "
            f"got {merged['build_index']!r}"
        )
    return merged
