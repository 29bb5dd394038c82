"""The content cache stays on, and a changed plugin or setting is never hidden by it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from authoring.project import load_project
from tests.sitebuild import PROJECT, copy_content, run_pelican

# A plugin that changes what the Markdown reader makes of every file: exactly
# the kind of change Pelican's content cache used to hide.
MARKER_PLUGIN = """
from pelican import signals
from pelican.readers import MarkdownReader

VERSION = "{version}"


class MarkedReader(MarkdownReader):
    def read(self, source_path):
        content, metadata = super().read(source_path)
        return content + f"<p>marker-{{VERSION}}</p>", metadata


def add_reader(readers):
    readers.reader_classes["md"] = MarkedReader


def register():
    signals.readers_init.connect(add_reader)
"""
# The site's own plugins, whatever they are, and the marker.
PLUGINS = [*load_project(PROJECT / "pelicanconf.py").settings["PLUGINS"], "marker"]


GROUPS = ("features", "workarounds", "machinery")
# The plugin folders (plugins/features, workarounds, machinery).
PLUGIN_FOLDERS = [str(PROJECT / "plugins" / group) for group in GROUPS]


def pelican(
    content: Path, output: Path, plugins: Path, *settings: str
) -> subprocess.CompletedProcess[str]:
    """A cached build (no --ignore-cache), as `make html` and the devserver run."""
    overrides = [
        f"PLUGIN_PATHS={json.dumps([*PLUGIN_FOLDERS, str(plugins)])}",
        *settings,
    ]
    result = run_pelican(
        output,
        content=content,
        ignore_cache=False,
        cache_path=output.parent / "cache",
        # Rich's handler: the plain one drops INFO messages (Pelican 4.12
        # configures it with no handler); COLUMNS keeps each on one line.
        log_handler=None,
        env={"COLUMNS": "300"},
        extra=["-v", "-e", *overrides],
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def project(tmp_path):
    plugins = tmp_path / "plugins"
    (plugins / "marker").mkdir(parents=True)
    content = copy_content(tmp_path / "content")
    return content, tmp_path / "output", plugins


def set_marker(plugins: Path, version: str) -> None:
    source = MARKER_PLUGIN.format(version=version)
    (plugins / "marker" / "__init__.py").write_text(source, encoding="utf-8")


def essay_html(output: Path) -> str:
    return (output / "customer-disservice" / "index.html").read_text("utf-8")


def build(project, *settings):
    content, output, plugins = project
    return pelican(content, output, plugins, *settings)


def test_the_cache_is_used_when_nothing_changed(project):
    set_marker(project[2], "one")
    first = build(project, f"PLUGINS={json.dumps(PLUGINS)}")
    assert "Content cache not loaded (it has no fingerprint)" in first.stdout
    second = build(project, f"PLUGINS={json.dumps(PLUGINS)}")
    assert "Content cache not loaded" not in second.stdout
    assert "marker-one" in essay_html(project[1])


def test_a_changed_plugin_is_not_hidden_by_the_cache(project):
    set_marker(project[2], "one")
    build(project, f"PLUGINS={json.dumps(PLUGINS)}")
    set_marker(project[2], "two")
    rebuilt = build(project, f"PLUGINS={json.dumps(PLUGINS)}")
    assert "Content cache not loaded (changed: plugin marker)" in rebuilt.stdout
    assert "marker-two" in essay_html(project[1])


def test_without_the_guard_the_cache_hides_the_change(project):
    """The trap is real: the same steps without cache_guard keep the old output."""
    # template_cache needs cache_guard before it (REQUIRES_BEFORE): out too.
    unguarded = json.dumps(
        [name for name in PLUGINS if name not in ("cache_guard", "template_cache")]
    )
    set_marker(project[2], "one")
    build(project, f"PLUGINS={unguarded}")
    set_marker(project[2], "two")
    build(project, f"PLUGINS={unguarded}")
    assert "marker-one" in essay_html(project[1])


def test_a_changed_setting_is_not_hidden_by_the_cache(project):
    content, output, plugins = project
    set_marker(plugins, "one")
    essay = content / "essays" / "01-customer-disservice.md"
    essay.write_text(essay.read_text("utf-8") + '\nA "test" line.\n', "utf-8")
    without_smarty = json.dumps(
        {
            "extension_configs": {"markdown.extensions.extra": {}},
            "output_format": "html5",
        }
    )
    build(project, f"PLUGINS={json.dumps(PLUGINS)}")
    assert "A &ldquo;test&rdquo; line." in essay_html(output)

    rebuilt = build(
        project, f"PLUGINS={json.dumps(PLUGINS)}", f"MARKDOWN={without_smarty}"
    )
    assert "Content cache not loaded (changed: settings)" in rebuilt.stdout
    assert 'A "test" line.' in essay_html(output)


def test_a_cache_written_by_another_pelican_is_not_loaded(project):
    set_marker(project[2], "one")
    build(project, f"PLUGINS={json.dumps(PLUGINS)}")
    fingerprint_file = project[1].parent / "cache" / "cache_guard.json"
    written = json.loads(fingerprint_file.read_text("utf-8"))
    fingerprint_file.write_text(
        json.dumps({**written, "pelican": "4.11.0", "markdown": "3.5"}), "utf-8"
    )
    rebuilt = build(project, f"PLUGINS={json.dumps(PLUGINS)}")
    assert "Content cache not loaded (changed: pelican, markdown)" in rebuilt.stdout
    assert json.loads(fingerprint_file.read_text("utf-8")) == written
