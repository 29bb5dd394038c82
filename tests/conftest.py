from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import build


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The development site, built once for the whole session."""
    return build(tmp_path_factory.mktemp("site") / "output")
