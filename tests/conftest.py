from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium, serve
from tests.sitebuild import build


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The development site, built once for the whole session."""
    return build(tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The production site as `make publish` builds it, once for the session."""
    return build(
        tmp_path_factory.mktemp("published") / "output",
        settings="publishconf.py",
        env={"SITEURL": "https://essays.example.org"},
    )


@pytest.fixture(scope="session")
def site_url(site) -> Iterator[str]:
    """The development site, served over HTTP on 127.0.0.1."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser):
    """A fresh browser page; fails the test on any console error or page error."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL cluster for the session (tests/postgres.py)."""
    from tests.postgres import postgres_cluster

    with postgres_cluster() as base_url:
        yield base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database of each kind: the suites run against both."""
    if request.param == "sqlite":
        return str(tmp_path / "subscribers.db")
    from tests.postgres import create_database

    base = request.getfixturevalue("postgres_server")
    return create_database(base, f"t{uuid.uuid4().hex[:12]}")
