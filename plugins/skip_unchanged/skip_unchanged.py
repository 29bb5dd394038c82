"""Skip pages and feeds whose inputs did not change, on warm builds.

After one essay is edited, Pelican renders every page and feed again: a
thousand essay pages through the theme, the list pages, 170 feeds, the
quick reference. Most come out byte for byte as they were. This plugin
gives Pelican a writer (`get_writer`) that keeps a key for every page and
feed it writes, in CACHE_PATH/skip_unchanged.json, and on the next warm
build leaves a file alone when its key is the same and the file is still
the one written then (size, modification time and inode unchanged).

A page's key covers everything its template can show (templates.py,
digest.py):
- the build fingerprint of plugins/cache_guard (every setting, the source
  of every plugin, Python, Pelican, Markdown), and the versions of Jinja,
  MarkupSafe and feedgenerator;
- the source of the page's template and of every template it extends,
  includes or imports;
- the value of every variable those templates look up (the page's own
  essay in full, body included; other essays by reference);
- of every essay and page of the site, the attributes those templates read
  of them (a title in the series box, a reading time in a list), and every
  content URL; the bodies too when a template reads a body other than its
  page's own, or reads in ways the analysis cannot follow.
A feed's key covers its entries in full, the feed settings, every content
URL and the static files (enclosures are sized from them).

What is always written again:
- everything on a cold build: the content cache not loaded (`--ignore-cache`,
  publishconf.py's LOAD_CONTENT_CACHE = False, or cache_guard finding a
  changed setting, plugin or version); with the cache off altogether this
  plugin steps aside and Pelican's own writer runs;
- everything after a build that logged a warning or an error, so that the
  next build shows it again; and when the record is missing, unreadable or
  made for another output folder;
- everything when an essay uses `{attach}` links (rendering one moves its
  files) or a plugin listens to the signals sent before each page is
  written (it may change the essay);
- a page whose variables cannot be digested (a paginated page, say);
- feeds when a plugin other than absolute_feed_urls or feed_enclosures
  listens to feed_generated or feed_written (a skipped feed sends neither).
A skipped page still sends `content_written` with its local context, so the
sitemap lists it as before.
"""

from __future__ import annotations

import importlib.metadata
import json
import locale
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Content

from . import digest
from .templates import Analysis, analyse, environment_signature, still_valid
from .writer import SkipUnchangedWriter, stat_of

logger = logging.getLogger(__name__)

RECORD_FILE = "skip_unchanged.json"
# Bump when what a key covers changes: every record made before is foreign.
KEY_VERSION = 1
ATTRIBUTE = "skip_unchanged_state"
COUNTER = "skip_unchanged_warnings"
# feed_generated receivers that only rewrite the feed they are given, from
# inputs a feed's key covers (its entries, SITEURL, the static files).
FEED_RECEIVERS = frozenset(
    {
        "absolute_feed_urls.absolute_feed_urls.absolutize_feed",
        "feed_enclosures.feed_enclosures.add_enclosures",
    }
)
VERSIONED = ("jinja2", "markupsafe", "feedgenerator")


class WarningCounter:
    """Warnings and errors logged since the last record was written: a
    build that logged any is not a base for skipping (the next one renders
    everything, and so shows them again).

    Counted where log records are made, not by a handler: with
    `--log-handler plain` Pelican installs none, and Python's last-resort
    handler prints the warnings only while the root logger has no handler.
    """

    def __init__(self) -> None:
        self.count = 0
        make = logging.getLogRecordFactory()
        # One counter at a time: another Pelican in this process replaces
        # the last one's rather than stacking on it.
        earlier = getattr(make, "__self__", None)
        self._make = earlier._make if isinstance(earlier, WarningCounter) else make
        logging.setLogRecordFactory(self._record)

    def _record(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self._make(*args, **kwargs)
        if record.levelno >= logging.WARNING:
            self.count += 1
        return record


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _receivers(signal: Any) -> set[str]:
    names = set()
    for receiver in signal.receivers.values():
        target = receiver() if callable(receiver) else receiver
        target = getattr(target, "__func__", target)
        module = getattr(target, "__module__", "?")
        names.add(f"{module}.{getattr(target, '__qualname__', repr(target))}")
    return names


class BuildState:
    """One build's keys: the record read, the record being made."""

    def __init__(
        self, settings: dict, fingerprint: dict, skip: bool, warnings: WarningCounter
    ) -> None:
        self.settings = settings
        self.output_path = os.path.realpath(settings["OUTPUT_PATH"])
        self.record_path = Path(settings["CACHE_PATH"]) / RECORD_FILE
        self.build = digest.hexdigest(
            KEY_VERSION,
            json.dumps(fingerprint, sort_keys=True),
            [(name, _version(name)) for name in VERSIONED],
            self.output_path,
            # Month names and date formats follow the process's locale.
            locale.setlocale(locale.LC_ALL),
        )
        self.previous, self._known_analyses = self._read_record(skip)
        self.outputs: dict[str, list] = {}  # relative path: [key, *stat]
        self.produced: set[str] = set()
        self.twice: set[str] = set()
        self.skipped = 0
        # plugins/parallel_build writes the feeds in a forked process on a
        # cold build: what a child writes reaches this record through a
        # file of its own (see _from_child, _merge_children).
        self.pid = os.getpid()
        self.token = os.urandom(6).hex()
        self.child_warnings = 0
        self.warnings = warnings
        self._analyses: dict[str, Analysis] = {}  # by template and environment
        self._environments: dict[int, str] = {}
        # A template's analysis and the part of its pages' keys that is the
        # same for all of them, by the analysis key.
        self._templates: dict[str, tuple[Analysis, str]] = {}
        self.digests = digest.BuildDigests()
        self._prepared = False
        self._pages_ok = True
        self._feeds_ok = True
        self._links = ""

    # The record -----------------------------------------------------------

    def _read_record(self, skip: bool) -> tuple[dict[str, list], dict[str, dict]]:
        """The last build's outputs (if skipping) and template analyses."""
        try:
            record = json.loads(self.record_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}, {}
        if not isinstance(record, dict) or record.get("build") != self.build:
            return {}, {}
        analyses = record.get("analyses")
        analyses = analyses if isinstance(analyses, dict) else {}
        outputs = record.get("outputs")
        if not skip or not record.get("clean") or not isinstance(outputs, dict):
            # Not clean: the last build logged warnings; show them again.
            return {}, analyses
        return outputs, analyses

    def _child_file(self, pid: int | str) -> Path:
        return self.record_path.with_name(f"{RECORD_FILE}.{self.token}.{pid}.part")

    def _from_child(self, relative: str, entry: list | None, kept: bool) -> None:
        """In a forked child: one line for the parent to merge."""
        line = json.dumps([relative, entry, kept, self.warnings.count])
        with open(self._child_file(os.getpid()), "a", encoding="utf-8") as file:
            file.write(line + "\n")

    def _merge_children(self) -> None:
        for part in self.record_path.parent.glob(f"{RECORD_FILE}.*.part"):
            mine = part.name.startswith(f"{RECORD_FILE}.{self.token}.")
            try:
                lines = part.read_text("utf-8").splitlines() if mine else []
                for relative, entry, kept, warnings in map(json.loads, lines):
                    self._note(relative)
                    self.skipped += bool(kept)
                    self.child_warnings = max(self.child_warnings, warnings)
                    if entry is None:
                        self.outputs.pop(relative, None)
                    else:
                        self.outputs[relative] = entry
            except (OSError, ValueError, TypeError):
                self.child_warnings += 1  # unreadable: trust nothing
            part.unlink(missing_ok=True)  # a crashed build's leftovers too

    def save(self) -> None:
        self._merge_children()
        for path in self.twice:
            self.outputs.pop(path, None)
        record = {
            "build": self.build,
            # Counts since the last record (reset below); a child's count
            # includes its parent's at the fork.
            "clean": self.warnings.count == 0 and self.child_warnings == 0,
            "skipped": self.skipped,
            "outputs": self.outputs,
            "analyses": {
                key: analysis.to_json() for key, analysis in self._analyses.items()
            },
        }
        self.record_path.parent.mkdir(parents=True, exist_ok=True)
        # Atomic: a build stopped half-way leaves the old record or the new.
        handle, temporary = tempfile.mkstemp(
            dir=self.record_path.parent, prefix=RECORD_FILE, suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(record, file, separators=(",", ":"))
            os.replace(temporary, self.record_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.warnings.count = 0
        if self.previous or self.skipped:
            logger.info(
                "skip_unchanged: %d of %d pages and feeds unchanged, not written",
                self.skipped,
                len(self.produced),
            )

    def _relative(self, path: str) -> str:
        # What os.path.relpath gives for a normalised path inside the output
        # folder (the writer's own), without its cost on every page.
        prefix = os.path.join(self.output_path, "")
        if path.startswith(prefix) and os.path.normpath(path) == path:
            return path[len(prefix) :]
        return os.path.relpath(path, self.output_path)

    def unchanged(self, path: str, key: str) -> bool:
        relative = self._relative(path)
        if relative in self.produced:
            return False
        entry = self.previous.get(relative)
        return (
            isinstance(entry, list)
            and entry[:1] == [key]
            and entry[1:] == stat_of(path)
        )

    def kept(self, path: str) -> None:
        relative = self._relative(path)
        if os.getpid() != self.pid:
            self._from_child(relative, self.previous[relative], kept=True)
            return
        self._note(relative)
        self.outputs[relative] = self.previous[relative]
        self.skipped += 1

    def written(self, path: str, key: str | None) -> None:
        relative = self._relative(path)
        stat = stat_of(path) if key is not None else None
        entry = None if stat is None else [key, *stat]
        if os.getpid() != self.pid:
            self._from_child(relative, entry, kept=False)
            return
        self._note(relative)
        if entry is None:
            self.outputs.pop(relative, None)
        else:
            self.outputs[relative] = entry

    def _note(self, relative: str) -> None:
        if relative in self.produced:
            self.twice.add(relative)
        self.produced.add(relative)

    # Keys -------------------------------------------------------------------

    def _prepare(self, context: dict) -> None:
        """Once a build, at the first write: what holds for every key."""
        self._prepared = True
        statics = _unique(context.get("static_content", {}).values())
        generated = _unique(context.get("generated_content", {}).values())
        # Static files too: a template may read a file's attributes.
        self._contents = generated + statics
        if any(_attaches(content) for content in generated):
            self._pages_ok = self._feeds_ok = False
        if _receivers(signals.article_generator_write_article) or _receivers(
            signals.page_generator_write_page
        ):
            self._pages_ok = self._feeds_ok = False
        if not _receivers(signals.feed_generated) <= FEED_RECEIVERS or _receivers(
            signals.feed_written
        ):
            self._feeds_ok = False
        self._links = digest.hexdigest(
            [(c.source_path, c.url) for c in generated],
            [(s.source_path, s.url, stat_of(s.source_path)) for s in statics],
        )

    def page_key(self, template: Any, localcontext: dict) -> str | None:
        if not self._prepared:
            self._prepare(localcontext)
        if not self._pages_ok:
            return None
        env = template.environment
        try:
            analysis, common = self._template(env, template.name)
            values = []
            for name in analysis.variables:
                if name in localcontext:
                    value = localcontext[name]
                elif name in env.globals:
                    value = env.globals[name]
                else:
                    value = ("undefined",)
                if name in analysis.own and isinstance(value, Content):
                    value = ("own", self.digests.content(value))
                values.append((name, value))
            return self.digests.hexdigest("page", common, values)
        except digest.Undigestible as error:
            logger.debug("skip_unchanged: %s always written: %s", template.name, error)
            return None

    def _template(self, env: Any, name: str) -> tuple[Analysis, str]:
        """A template's analysis, and what all its pages' keys hold: the
        build, the analysis, what it reads of the site, the content URLs."""
        if id(env) not in self._environments:
            self._environments[id(env)] = digest.hexdigest(environment_signature(env))
        key = f"{name}@{self._environments[id(env)]}"
        if key not in self._templates:
            analysis = self._analysis(key, env, name)
            common = digest.hexdigest(
                self.build,
                analysis,
                self.digests.site(self._contents, analysis.attributes),
                self._links,
            )
            self._templates[key] = (analysis, common)
        return self._templates[key]

    def _analysis(self, key: str, env: Any, name: str) -> Analysis:
        """What the template reads: from the last build while its sources
        are the same (parsing the theme costs more than a page), else anew."""
        if key not in self._analyses:
            known = self._known_analyses.get(key)
            try:
                analysis = Analysis.from_json(known) if known else None
            except (KeyError, TypeError, ValueError):
                analysis = None
            if analysis is None or not still_valid(env, analysis):
                analysis = analyse(env, name)
            self._analyses[key] = analysis
        return self._analyses[key]

    def feed_key(self, elements, context, *arguments) -> str | None:
        if not self._prepared:
            self._prepare(context)
        if not self._feeds_ok:
            return None
        shown = elements[: self.settings["FEED_MAX_ITEMS"]]
        try:
            return self.digests.hexdigest(
                "feed",
                self.build,
                arguments,
                [context.get(name) for name in FEED_CONTEXT],
                [self.digests.content(element) for element in shown],
                self._links,
            )
        except digest.Undigestible as error:
            logger.debug("skip_unchanged: feed always written: %s", error)
            return None


# What Pelican's feed writer reads of the context.
FEED_CONTEXT = ("SITEURL", "FEED_DOMAIN", "SITENAME", "SITESUBTITLE")


def _unique(contents) -> list:
    seen: dict[int, Any] = {}
    for content in contents:
        seen.setdefault(id(content), content)
    return sorted(seen.values(), key=lambda c: str(c.source_path))


def _attaches(content: Any) -> bool:
    text = getattr(content, "_content", None) or ""
    return "{attach}" in text or "|attach|" in text


def count_warnings(pelican: Any) -> None:
    """initialized: count warnings from the start (reading an essay warns
    before anything is written). `pelican --autoreload` runs many builds
    with this Pelican object: each record written resets the count; a
    build that failed leaves its count to the next, which is then unclean."""
    setattr(pelican, COUNTER, WarningCounter())


def supply_writer(pelican: Any) -> type | None:
    """get_writer: this plugin's writer whenever the content cache is kept."""
    settings = pelican.settings
    fingerprint = getattr(pelican, "cache_guard_fingerprint", None)
    if not settings.get("CACHE_CONTENT") or fingerprint is None:
        return None
    warm = bool(settings.get("LOAD_CONTENT_CACHE"))
    if not warm and not getattr(pelican, "cache_guard_skipped_cache", False):
        # The cache turned off for this build (--ignore-cache, make
        # publish): Pelican's own writer, as without this plugin.
        return None
    warnings = getattr(pelican, COUNTER, None)
    if warnings is None:
        return None  # registered too late to have seen the whole build
    state = BuildState(settings, fingerprint, skip=warm, warnings=warnings)
    setattr(pelican, ATTRIBUTE, state)
    return type("SkipUnchangedWriter", (SkipUnchangedWriter,), {"state": state})


def save_record(pelican: Any) -> None:
    """finalized: the keys of this build's files, for the next one."""
    state = getattr(pelican, ATTRIBUTE, None)
    if state is not None:
        setattr(pelican, ATTRIBUTE, None)
        state.save()


def register() -> None:
    signals.initialized.connect(count_warnings)
    signals.get_writer.connect(supply_writer)
    signals.finalized.connect(save_record)
