"""The site builds the same with the oldest Pelican and Markdown that
requirements.in allows as with the pinned ones (requirements.txt).

The test makes a second venv itself, never touching the one running it:
under the user's cache folder ($XDG_CACHE_HOME or ~/.cache), named after
what it holds, and reused while requirements.in and requirements.txt stay
the same. It holds what a build imports: Pelican and Markdown at their
oldest, the other libraries the plugins use at their pinned versions, and
whatever those need as pip resolves it (Pelican 4.11 wants an older Pygments
than the pinned one, say). The first run installs from the package index.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from tests.sitebuild import PROJECT, build
from tests.test_content_check import copy_content, unreadable_html_essay

# The distributions whose oldest allowed version is tried, as requirements.in
# names them (an extra in brackets is left out of the name).
OLDEST_OF = ("pelican", "markdown")
# The other libraries a build imports (plugins/, the theme's filters), kept at
# their pinned versions.
BUILD_LIBRARIES = (
    "pelican-series",
    "pelican-sitemap",
    "typogrify",
    "beautifulsoup4",
    "lxml",
    "markdown-it-py",
    "pagefind",
    "pagefind-bin-extended",
    "jinja2",
    "markupsafe",
    "feedgenerator",
    "livereload",
)
LOWER_BOUND = re.compile(r"^([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def lower_bounds() -> dict[str, str]:
    bounds = {}
    for line in (PROJECT / "requirements.in").read_text("utf-8").splitlines():
        found = LOWER_BOUND.match(line.strip())
        if found and found.group(1).lower() in OLDEST_OF:
            bounds[found.group(1).lower()] = found.group(3)
    return bounds


def oldest_requirements() -> list[str]:
    """The build's libraries as requirements.txt pins them, with Pelican and
    Markdown at their lower bounds."""
    pinned = [
        line.strip()
        for line in (PROJECT / "requirements.txt").read_text("utf-8").splitlines()
        if line.split("==")[0].strip().lower().replace("_", "-") in BUILD_LIBRARIES
    ]
    return pinned + [f"{name}=={version}" for name, version in lower_bounds().items()]


def oldest_venv() -> Path:
    requirements = "\n".join(oldest_requirements()) + "\n"
    tag = hashlib.sha256(requirements.encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    venv = cache / "understanding-customer-service" / f"oldest-{tag}"
    python = venv / "bin" / "python"
    done = venv / "installed"
    if done.is_file():
        return venv
    running = Path(sys.prefix).resolve()
    assert venv.resolve() != running, "never install into the running venv"
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    (venv / "requirements.txt").write_text(requirements, "utf-8")
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-r",
            str(venv / "requirements.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    done.write_text(requirements, "utf-8")
    return venv


def site_files(output: Path) -> dict[str, bytes]:
    """Every output file, without what differs between any two builds
    (Pagefind's run-hashed files, the sitemap's build time)."""
    return {
        str(path.relative_to(output)): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
        and not str(path.relative_to(output)).startswith("pagefind/")
        and path.name != "sitemap.xml"
    }


def test_the_ranges_have_lower_bounds():
    assert sorted(lower_bounds()) == sorted(OLDEST_OF)


@pytest.fixture(scope="module")
def oldest() -> Path:
    return oldest_venv()


def test_the_oldest_venv_has_the_oldest_versions(oldest):
    result = subprocess.run(
        [str(oldest / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {
        name.lower(): version
        for name, _, version in (line.partition("==") for line in result.stdout.split())
    }
    for name, bound in lower_bounds().items():
        assert Version(installed[name]) == Version(bound), name


def test_the_site_builds_the_same_with_the_oldest_versions(oldest, tmp_path):
    pinned = site_files(build(tmp_path / "pinned"))
    command = [str(oldest / "bin" / "python"), "-m", "pelican", "content"]
    command += ["-o", str(tmp_path / "oldest"), "-s", "pelicanconf.py"]
    command += ["--cache-path", str(tmp_path / "oldest-cache"), "--ignore-cache"]
    command += ["--fatal", "warnings"]
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    old = site_files(tmp_path / "oldest")
    assert sorted(old) == sorted(pinned)
    assert [name for name in pinned if old[name] != pinned[name]] == []


def test_a_file_the_oldest_pelican_cannot_read_stops_the_build_in_one_line(
    oldest, tmp_path
):
    """Pelican 4.11 words its "Could not process" differently from 4.12
    (compat.UNREADABLE_FILE): content_check must recognise both."""
    content = copy_content(tmp_path / "content")
    odd = unreadable_html_essay(content)
    command = [str(oldest / "bin" / "python"), "-m", "pelican", str(content)]
    command += ["-o", str(tmp_path / "oldest"), "-s", "pelicanconf.py"]
    command += ["--cache-path", str(tmp_path / "oldest-cache"), "--ignore-cache"]
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert f"{odd}: error: Pelican cannot read it (ValueError: " in log, log
    assert "Could not process" not in log
