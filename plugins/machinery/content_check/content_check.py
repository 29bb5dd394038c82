"""The build checks the content with `make check`'s engine before reading it.

One validation pipeline: `make html`, `make publish` and the devserver report
an author's mistake exactly as `make check` does, one line each,
`path:line: error|warning: reason`, from the same engine (authoring/check.py)
and its one model of headers and URLs. An error stops the build before
anything is read or written, and Pelican exits non-zero; warnings are
printed and the build goes on (they do not fail `make check` either, so
they do not fail `--fatal warnings` here: they are printed, not logged).
The checklist markup is left to the checklists plugin, which reports it
while it converts each essay.

What the engine does not know, a file a Pelican reader cannot read (an
HTML page with an impossible date, say), Pelican reports as "Could not
process FILE", hides the reason and builds on without the file, exit 0.
Here it becomes one line naming the file and the reason, and the build
stops before writing. That message is recognised by its text, which compat
checks at start-up (compat.UNREADABLE_FILE).

CONTENT_CHECK = {"problems_file": PATH} also writes the error lines to
PATH when the build fails (the devserver shows them in the browser), and
with them each error the build logs otherwise (a template that does not
compile, a plugin that raises), one line each: `path:line: error: reason`
for a template error (Jinja names the template and the line), `error:
reason` for the rest. The terminal keeps Pelican's full report.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pelican import signals

from plugins.machinery import compat, plugin_settings
from plugins.machinery.plugin_settings import TEXT, Option, SettingsDict, optional

from .engine import check_content, shown_path

CONTENT_CHECK = SettingsDict(
    "CONTENT_CHECK", {"problems_file": Option(None, optional(TEXT))}
)
# Read by plugins/machinery/plugin_settings at the start of the build.
SETTINGS = (CONTENT_CHECK,)
REQUIRES_BEFORE = {"compat": compat.CHECKED_FIRST}


class ContentErrors(SystemExit):
    """The build stops: the content has errors (each printed on one line)."""


class ContentCheck:
    """One build's problems: the engine's, then the readers' failures."""

    def __init__(self, settings: dict):
        self.errors: list[str] = []
        self.problems_file = problems_file(settings)
        self.unreadable = _UnreadableFiles(self, Path(settings["PATH"]))
        self.logged: logging.Handler | None = None

    def report(self, lines: list[str], errors: int) -> None:
        for line in lines:
            print(line, file=sys.stderr, flush=True)
        self.errors += [line for line in lines if ": error: " in line]
        if errors:
            self.stop()

    def stop(self) -> None:
        if self.problems_file:
            self.problems_file.write_text("\n".join(self.errors) + "\n", "utf-8")
        count = len(self.errors)
        raise ContentErrors(
            f"pelican: {count} error{'' if count == 1 else 's'} in the content; "
            "nothing was built"
        )


def problems_file(settings: dict) -> Path | None:
    path = CONTENT_CHECK.read(settings)["problems_file"]
    return Path(path) if path else None


class _LoggedErrors(logging.Handler):
    """Every ERROR or CRITICAL record of the build, on one line each, added
    to the problems file as it is logged (a build that fails otherwise than
    by the content: Pelican logs the exception and exits 1)."""

    def __init__(self, path: Path):
        super().__init__(logging.ERROR)
        self.path = path

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = _one_line(record)
            with self.path.open("a", encoding="utf-8") as problems:
                problems.write(line + "\n")
        except Exception:  # a log handler never raises (logging's own rule)
            self.handleError(record)


def _one_line(record: logging.LogRecord) -> str:
    error = record.exc_info[1] if record.exc_info else None
    filename = getattr(error, "filename", None)
    lineno = getattr(error, "lineno", None)
    message = getattr(error, "message", None)
    if filename and lineno and message:  # Jinja's TemplateSyntaxError
        return f"{shown_path(Path(filename))}:{lineno}: error: {message}"
    first = record.getMessage().strip().splitlines()
    return f"error: {first[0] if first else record.levelname}"


class _UnreadableFiles(logging.Filter):
    """Turns Pelican's "Could not process FILE" into one line with the reason.

    Pelican logs it inside its `except` block, with the exception left out
    (unless --debug), so the exception being handled is the reason.
    """

    def __init__(self, check: ContentCheck, content: Path):
        super().__init__()
        self.check = check
        self.content = content
        self.failed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg not in compat.UNREADABLE_FILE or not record.args:
            return True
        error = sys.exc_info()[1]
        reason = f"{type(error).__name__}: {error}" if error else "unreadable"
        path = shown_path(self.content / str(record.args[0]))
        self.check.report([f"{path}: error: Pelican cannot read it ({reason})"], 0)
        self.failed += 1
        return False  # this line replaces Pelican's


_GENERATORS_LOGGER = logging.getLogger("pelican.generators")
_current: ContentCheck | None = None


def check_before_reading(pelican) -> None:
    """get_generators: the first signal of every build (`initialized` comes
    once a process, and `pelican --autoreload` builds many times in one)."""
    global _current
    _finish()
    check = ContentCheck(pelican.settings)
    _current = check
    _GENERATORS_LOGGER.addFilter(check.unreadable)
    if check.problems_file:
        check.logged = _LoggedErrors(check.problems_file)
        logging.getLogger().addHandler(check.logged)
    lines, errors = check_content(pelican.settings)
    check.report(lines, errors)


def stop_if_unreadable(generator) -> None:
    """After the essays, then the pages, were read: before anything is written."""
    if _current is not None and _current.unreadable.failed:
        _current.stop()


def _finish(*_) -> None:
    """Leaves no filter behind for the next build in the same process."""
    global _current
    if _current is not None:
        _GENERATORS_LOGGER.removeFilter(_current.unreadable)
        if _current.logged is not None:
            logging.getLogger().removeHandler(_current.logged)
        _current = None


def register() -> None:
    plugin_settings.register()
    signals.get_generators.connect(check_before_reading)
    signals.article_generator_finalized.connect(stop_if_unreadable)
    signals.page_generator_finalized.connect(stop_if_unreadable)
    signals.finalized.connect(_finish)
