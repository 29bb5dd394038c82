"""`make devserver`: build, serve, and reload the browser after every save.

Parts, each from a library that does it well:
- Pelican builds the site, each time in a fresh process: a changed plugin or
  setting is then always the one that runs (Pelican's own `--autoreload`
  keeps the first import of every plugin), and a crashing build cannot take
  the server down: Pelican's own `main`, as `python -m pelican` runs it, in
  a process started after the last build (authoring/ready_pelican.py), which
  has imported Pelican's libraries, not the settings or the plugins, by the
  time the next save comes. The content cache stays on for speed; the
  `cache_guard` plugin drops it when a plugin or a setting changed.
- watchfiles watches content/, the theme, the plugins and the settings file.
- tornado serves the output folder (authoring/site_files.py: the site's own
  404 page for a missing address), and livereload's WebSocket handler and
  its livereload.js tell the open pages to reload after each build.
- The search index is not part of these builds: the reload would wait for
  it. Pagefind indexes the written site after each reload instead, in the
  background (authoring/search_index.py), and a new build stops a run still
  going. `make html` and `make publish` index within the build.

livereload's own server injects an inline <script> into every page, which a
strict Content-Security-Policy forbids. This server injects an external one,
`<script src="/livereload.js">`, served from the same origin.

Each build writes a new site into a folder beside the served one
(`output.devserver-next`, on the same file system), and only a build that
succeeded takes the served folder's place: the search bundle is hard-linked
in (Pagefind never rewrites a bundle's files, it writes a new bundle and
renames it), then two renames swap the folders and the old one is deleted.
The renames run on the server's own thread, between two requests: the file
handler looks the folder up by its path on each request, so a request is
answered from the old site or the new one, never from neither, and a file
being sent when the swap comes is sent whole (it is open). So during a build
the last good site is served whole, and a build that fails while writing (a
template error, a plugin raising) never reaches it. The devserver owns
output/ as `make publish` does: it replaces the folder whole, keeping only
the search bundle (DELETE_OUTPUT_DIRECTORY makes `make html` do the same).

After a save of essays or pages, the page of each is shown first: the build
writes it as soon as Pelican has the whole site's context, before the other
pages (plugins/machinery/edited_first), into a folder of its own beside the
served one, and names it on a pipe; the devserver moves it into the served
site (one rename, on the server's thread, the page it replaces kept aside)
and reloads the pages at once. The rest of the build then replaces the site
whole, as above, and reloads them again. A build that fails after a page was
shown first puts the replaced page back. Only when the last build took more
than `--first-after` seconds (1 by default): on a small site the whole build
is as quick, and a second reload that comes while a page is still loading
from the first is lost by livereload, leaving another open page stale.

A failed build leaves the last good site in place, and the pages are reloaded
with its error lines on top (authoring/build_problems.py): the content_check
plugin writes them to a file the devserver names in CONTENT_CHECK (the
content's errors, and each error the build logged: a template error, a
plugin's exception); a build that failed before any plugin ran (a settings
file that does not load) is shown as failed, its reason in the terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import watchfiles
from pelican.utils import get_date
from tornado import httpserver, web

from authoring.build_problems import (
    STYLESHEET_LINK,
    STYLESHEET_URL,
    BuildProblems,
    ProblemsStylesheet,
)
from authoring.header import NotUtf8, read_content_file
from authoring.project import Project, load_project
from authoring.search_index import SearchIndex
from authoring.site_files import PortError, SiteFiles, bind, site_route
from plugins.features.pagefind_search.pagefind_search import BUNDLE_DIR
from plugins.machinery.compat.livereload import (
    LiveReloadHandler,
    LiveReloadJSHandler,
    LiveScriptInjector,
    Watcher,
)

READY_PELICAN = Path(__file__).with_name("ready_pelican.py")
LIVERELOAD_SCRIPT = b'<script src="/livereload.js" defer></script>'
# Settings for every devserver build, before the author's own options: the
# site as `make publish` would publish it today, so an essay dated in the
# future shows under drafts/, marked as scheduled, not as published.
DEVSERVER_SETTINGS = ["WITH_FUTURE_DATES=false"]
# Beside the served folder: the build being written, and the site it replaced
# (deleted once the new one is served).
STAGING_SUFFIX = ".devserver-next"
REPLACED_SUFFIX = ".devserver-old"
# Beside the served folder too: the edited pages written first, and the
# served pages they replaced (put back if the build fails).
FIRST_SUFFIX = ".devserver-first"
EDITED_FIRST_PLUGIN = "edited_first"
# With plugins/features/pagefind_search: no index in the build (the devserver makes it
# after the reload).
NO_INDEX_IN_BUILD = 'PAGEFIND_SEARCH={"build_index": false}'
SEARCH_PLUGIN = "pagefind_search"
# plugins/machinery/content_check writes a failed build's error lines where this says.
CHECK_PLUGIN = "content_check"


def say(message: str) -> None:
    print(f"devserver: {message}", flush=True)


class _ExternalLiveReloadScript(LiveScriptInjector):
    # Injected before </head>: the failed build's notice, then the reload script.
    script = STYLESHEET_LINK + LIVERELOAD_SCRIPT


class _NoCacheFiles(SiteFiles):
    def set_extra_headers(self, path: str) -> None:
        # After a rebuild the browser must fetch every file again.
        self.set_header("Cache-Control", "no-store")


class _AnnouncingLiveReloadHandler(LiveReloadHandler):
    """Says when a page has connected; from then on it reloads on every build."""

    def on_message(self, message: str) -> None:
        before = len(LiveReloadHandler.waiters)
        super().on_message(message)
        if len(LiveReloadHandler.waiters) > before:
            say(f"browser connected ({len(LiveReloadHandler.waiters)} open)")


def pelican_options(
    extra: list[str], settings: list[str] = DEVSERVER_SETTINGS
) -> list[str]:
    """The author's options, with the devserver's settings merged into their -e."""
    extra = [option for option in extra if option != "--"]
    for flag in ("-e", "--extra-settings"):
        if flag in extra:
            # Pelican keeps only the last -e: put ours first inside it, so
            # the author's own values win.
            at = extra.index(flag) + 1
            return extra[:at] + settings + extra[at:]
    return [*extra, "-e", *settings]


class DevServerError(Exception):
    """The devserver cannot start (a one-line reason)."""


class DevServer:
    def __init__(
        self,
        project: Project,
        settings_file: Path,
        output: Path,
        host: str,
        port: int,
        extra_options: list[str],
        first_after: float = 1.0,
    ):
        self.project = project
        self.first_after = first_after
        self.last_build_seconds = 0.0
        self.settings_file = settings_file.resolve()
        self.output = output.resolve()
        self.staging = self.output.with_name(self.output.name + STAGING_SUFFIX)
        self.replaced = self.output.with_name(self.output.name + REPLACED_SUFFIX)
        self.first = self.output.with_name(self.output.name + FIRST_SUFFIX)
        # Served pages replaced by pages shown first: {served path: kept copy}.
        self.shown_first: dict[Path, Path | None] = {}
        self.failure = "the build failed"
        # A build process waiting for the next save (authoring/ready_pelican.py).
        self.ready: ReadyPelican | None = None
        self.host = host
        self.port = port
        plugins = project.settings.get("PLUGINS") or []
        plugins = {str(plugin).rpartition(".")[2] for plugin in plugins}
        searchable = SEARCH_PLUGIN in plugins
        settings = [*DEVSERVER_SETTINGS, *([NO_INDEX_IN_BUILD] if searchable else [])]
        self.problems = BuildProblems()
        self.problems_file = self.cache_path() / "problems.txt"
        if CHECK_PLUGIN in plugins:
            config = json.dumps({"problems_file": str(self.problems_file)})
            settings.append(f"CONTENT_CHECK={config}")
        self.options = pelican_options(extra_options, settings)
        self.edits_first = EDITED_FIRST_PLUGIN in plugins
        self.search = SearchIndex(self.output, say) if searchable else None

    # --- building -------------------------------------------------------------

    def cache_path(self) -> Path:
        # A cache of its own: the devserver's settings differ from `make
        # html`'s (WITH_FUTURE_DATES), and cache_guard would otherwise throw
        # the shared cache away each time one follows the other.
        return (Path(self.project.settings["CACHE_PATH"]) / "devserver").resolve()

    def pelican_arguments(self) -> list[str]:
        cache = self.cache_path()
        return [
            str(self.project.content),
            "-o",
            str(self.staging),
            "-s",
            str(self.settings_file),
            "--cache-path",
            str(cache),
            *self.options,
        ]

    def build_arguments(self, first: dict | None = None) -> list[str]:
        """Pelican's command line for one build (`first`: EDITED_FIRST)."""
        arguments = self.pelican_arguments()
        if first is not None:
            # After the devserver's own -e settings: Pelican keeps the last -e.
            arguments = pelican_options(
                arguments, [f"EDITED_FIRST={json.dumps(first)}"]
            )
        return arguments

    def edited_sources(self, changed: Iterable[str]) -> list[str]:
        """The changed files whose pages can be shown first: content files."""
        content = self.project.content.resolve()
        return sorted(
            path
            for path in changed
            if content in Path(path).resolve().parents and Path(path).is_file()
        )

    def build(
        self,
        edited: Sequence[str] = (),
        show_first: Callable[[str, float], None] | None = None,
    ) -> float | None:
        """Build the site into the staging folder, not touching the served
        one: the seconds it took, ready for `swap_in`, or None if it failed.
        With `edited` files, `show_first` gets the output path of each of
        their pages (relative to the output folder) as soon as it is written
        into the `first` folder, while the rest of the site is being built,
        and the seconds since the build started."""
        started = time.perf_counter()
        self.problems_file.unlink(missing_ok=True)
        _remove(self.staging)  # a build stopped halfway (Ctrl-C) left it
        self.staging.mkdir(parents=True)
        _remove(self.first)
        process = self.ready or ReadyPelican(self.settings_file.parent)
        self.ready = None
        first = None
        if edited and show_first and self.edits_first and self.output.is_dir():
            first = {
                "sources": list(edited),
                "folder": str(self.first),
                "notify_fd": process.notify_fd,
            }
        if not process.start(self.build_arguments(first)):
            # It ended before its build began (killed, say): a fresh one.
            process = ReadyPelican(self.settings_file.parent)
            if first is not None:
                first["notify_fd"] = process.notify_fd
            process.start(self.build_arguments(first))
        for save_as in process.pages_written_first():
            if show_first is not None:
                show_first(save_as, time.perf_counter() - started)
        exit_code = process.wait()
        # The next build's process imports its libraries while this one's
        # site is swapped in and indexed (none if it cannot start: the next
        # build starts one itself, and says why if that fails too).
        try:
            self.ready = ReadyPelican(self.settings_file.parent)
        except OSError:
            self.ready = None
        if exit_code == 0:
            exit_code = self.carry_search_bundle()
        self.last_build_seconds = time.perf_counter() - started
        if exit_code != 0:
            _remove(self.staging)
            # Said by `swap_in`, once any page shown first is put back.
            self.failure = f"the build failed (exit {exit_code}, see above)"
            self.problems.lines = self.error_lines() or [
                f"The build failed (exit {exit_code}): the reason is in the "
                "devserver's terminal."
            ]
            return None
        return time.perf_counter() - started

    def show_first(self, save_as: str) -> bool:
        """Move a page written first into the served site (on the server's
        thread, between two requests); the page it replaces is kept aside
        until the build ends."""
        written = self.first / save_as
        served = self.output / save_as
        if not written.is_file() or not self.output.is_dir():
            return False
        try:
            kept = None
            if served.is_file():
                kept = written.with_name(written.name + ".served")
                os.link(served, kept)
            served.parent.mkdir(parents=True, exist_ok=True)
            os.replace(written, served)
        except OSError as error:
            say(f"cannot show {save_as} first: {error}")
            return False
        self.shown_first.setdefault(served, kept)
        return True

    def put_back_shown_first(self) -> None:
        """A build that failed after showing pages first: the served site is
        the last good one again."""
        for served, kept in self.shown_first.items():
            try:
                if kept is None:
                    served.unlink(missing_ok=True)
                else:
                    os.replace(kept, served)
            except OSError as error:
                say(f"cannot put back {served}: {error}")
        self.shown_first.clear()
        _remove(self.first)

    def carry_search_bundle(self) -> int:
        """The served search bundle, hard-linked into the new site (copied
        where the file system has no hard links): 0, or 1 when it failed.
        Never while Pagefind runs: a build starts after cancelling it."""
        bundle, carried = self.output / BUNDLE_DIR, self.staging / BUNDLE_DIR
        if not bundle.is_dir() or carried.exists():
            return 0
        try:
            try:
                shutil.copytree(bundle, carried, copy_function=os.link)
            except OSError:
                _remove(carried)
                shutil.copytree(bundle, carried)
        except OSError as error:
            say(f"cannot carry the search bundle into the new site: {error}")
            return 1
        return 0

    def swap_in(self, seconds: float | None) -> bool:
        """Serve the staged site of a build that took `seconds` (None: it
        failed): two renames, run on the server's thread so that no request
        is answered between them. The replaced site is left for
        `discard_replaced`."""
        if seconds is None:
            self.put_back_shown_first()
            say(f"{self.failure}; still serving the last good build")
            return False
        _remove(self.replaced)  # left by a stopped devserver
        try:
            if self.output.exists():
                self.output.rename(self.replaced)
            self.staging.rename(self.output)
        except OSError as error:
            if not self.output.exists() and self.replaced.exists():
                self.replaced.rename(self.output)
            self.put_back_shown_first()
            say(f"cannot serve the new build: {error}; still serving the last one")
            self.problems.lines = [f"The new build could not be served: {error}"]
            return False
        # Pages shown first went with the site they were shown in.
        self.shown_first.clear()
        _remove(self.first)
        self.problems.lines = []
        say(f"built in {seconds:.2f} s")
        return True

    def stop_ready(self) -> None:
        if self.ready is not None:
            self.ready.close()
            self.ready = None

    def discard_replaced(self) -> None:
        _remove(self.replaced)

    def error_lines(self) -> list[str]:
        """The failed build's error lines, as plugins/machinery/content_check wrote
        them."""
        try:
            text = self.problems_file.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return []
        return [line for line in text.splitlines() if line.strip()]

    # --- watching -------------------------------------------------------------

    def watched_folders(self) -> list[Path]:
        settings = self.project.settings
        folders = [self.project.content, Path(settings["THEME"])]
        folders += [Path(path) for path in settings.get("PLUGIN_PATHS") or []]
        return [folder for folder in folders if folder.is_dir()]

    async def watch(self, changes: asyncio.Queue[set[str]]) -> None:
        """Put every batch of changed paths on the queue."""

        async def folders() -> None:
            async for batch in watchfiles.awatch(*self.watched_folders()):
                await changes.put({path for _, path in batch})

        async def settings_file() -> None:
            # The folder, not the file: editors that save by renaming a new
            # file over the old one would end a watch on the file itself.
            name = self.settings_file.name
            async for batch in watchfiles.awatch(
                self.settings_file.parent,
                recursive=False,
                watch_filter=lambda _, path: Path(path).name == name,
            ):
                await changes.put({path for _, path in batch})

        await asyncio.gather(folders(), settings_file())

    async def rebuild_on_change(self, changes: asyncio.Queue[set[str]]) -> None:
        loop = asyncio.get_running_loop()
        while True:
            changed = await changes.get()
            while not changes.empty():  # saves during the last build: one build
                changed |= changes.get_nowait()
            shown = ", ".join(sorted(_relative(path) for path in changed)[:3])
            say(f"changed: {shown}{' …' if len(changed) > 3 else ''}")
            if self.search:
                # Its bundle is carried into the new site when the build
                # ends: one that a run still going might be renaming then.
                await self.search.cancel()
            showing_errors = bool(self.problems.lines)

            def shown_first(save_as: str, seconds: float) -> None:
                def show() -> None:
                    if self.show_first(save_as):
                        say(f"shown first: {save_as} ({seconds:.2f} s)")
                        LiveReloadHandler.reload_waiters("*")

                loop.call_soon_threadsafe(show)

            slow = self.last_build_seconds > self.first_after
            edited = self.edited_sources(changed) if slow else []
            seconds = await loop.run_in_executor(None, self.build, edited, shown_first)
            built = self.swap_in(seconds)
            # A failed build reloads the pages too: the last good site, with
            # its errors on top; the next good build reloads them whole.
            whole = not built or showing_errors
            LiveReloadHandler.reload_waiters("*" if whole else _reload_path(changed))
            await loop.run_in_executor(None, self.discard_replaced)
            if built and self.search:
                self.search.start()

    async def index_first_build(self) -> None:
        """The pages load the search from the bundle: with none yet, index
        before serving; with one (an earlier build's), serve it meanwhile."""
        if not self.search:
            return
        if self.search.bundle.exists():
            self.search.start()
        else:
            await self.search.run()

    # --- serving --------------------------------------------------------------

    def application(self) -> web.Application:
        LiveReloadHandler.live_css = True
        # livereload's reload_waiters() logs its watcher's last path and fails
        # when there is no watcher; this server watches with watchfiles, so it
        # gets an idle one of livereload's own.
        LiveReloadHandler.watcher = Watcher()
        return web.Application(
            [
                (r"/livereload", _AnnouncingLiveReloadHandler),
                (r"/livereload\.js", LiveReloadJSHandler),
                (STYLESHEET_URL, ProblemsStylesheet, {"problems": self.problems}),
                site_route(self.output, _NoCacheFiles),
            ],
            transforms=[_ExternalLiveReloadScript],
        )

    def check_output(self) -> None:
        """The served folder is replaced whole after each build: it must not
        hold the site's sources (`--output .` would hold the project)."""
        output = self.output
        settings = self.project.settings
        sources = [self.project.content, Path(settings["THEME"]), self.settings_file]
        sources += [Path(path) for path in settings.get("PLUGIN_PATHS") or []]
        sources = [source.resolve() for source in sources]
        if output in (Path(output.anchor), Path.home().resolve()):
            reason = "is the file-system root or the home folder"
        else:
            held = [path for path in sources if output in (path, *path.parents)]
            if not held:
                return
            reason = f"holds {held[0]}"
        raise DevServerError(
            f"the output folder {output} {reason}, and every build replaces "
            "it whole; choose another, e.g. make devserver OUTPUTDIR=output"
        )

    def bind(self) -> list[socket.socket]:
        """Take the port first: a busy port stops the devserver before any build."""
        try:
            return bind(self.host, self.port, "devserver")
        except PortError as error:
            raise DevServerError(str(error)) from None

    async def serve(self, sockets: list[socket.socket], index_first: bool) -> None:
        if index_first:
            await self.index_first_build()
        server = httpserver.HTTPServer(self.application())
        server.add_sockets(sockets)
        port = sockets[0].getsockname()[1]
        url = f"http://{self.host}:{port}/"
        say(f"serving {url} (Ctrl-C stops)")
        for draft in draft_urls(self.project):
            say(f"draft: {url}{draft}")
        changes: asyncio.Queue[set[str]] = asyncio.Queue()
        try:
            await asyncio.gather(self.watch(changes), self.rebuild_on_change(changes))
        finally:
            server.stop()
            if self.search:
                await self.search.cancel()


class ReadyPelican:
    """A `authoring/ready_pelican.py` process: its libraries imported, it waits
    for the command line of one build. A pipe is passed to it from the
    start, for EDITED_FIRST's `notify_fd`: the pages it writes first."""

    def __init__(self, cwd: Path):
        reading, writing = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, str(READY_PELICAN)],
                cwd=cwd,
                stdin=subprocess.PIPE,
                text=True,
                pass_fds=(writing,),
            )
        except BaseException:
            os.close(reading)
            raise
        finally:
            os.close(writing)  # the child's copy is the only one left
        self.notify_fd = writing  # its number in the child (pass_fds keeps it)
        self.named = os.fdopen(reading, encoding="utf-8")

    def start(self, arguments: list[str]) -> bool:
        """Run one build of Pelican with these arguments: False if the
        process had ended already."""
        try:
            self.process.stdin.write(json.dumps(arguments) + "\n")
            self.process.stdin.close()
        except (BrokenPipeError, ValueError):
            self.close()
            return False
        return True

    def pages_written_first(self) -> Iterator[str]:
        """Each page the build names as written first, as it does; ends when
        the build has closed the pipe (or ended)."""
        with self.named:
            for line in self.named:
                if line.strip():
                    yield line.strip()

    def wait(self) -> int:
        return self.process.wait()

    def close(self) -> None:
        """No build: the process ends (it reads an empty command)."""
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()
        self.named.close()
        self.process.wait()


def draft_urls(project: Project) -> list[str]:
    """Where the devserver shows each draft or scheduled essay."""
    urls = []
    now = datetime.datetime.now()
    for path in project.essay_files():
        try:
            file = read_content_file(path, "essay")
            date = get_date((file.header.value("Date") or "").replace("_", " "))
        except (NotUtf8, ValueError):
            continue  # `make check` says why
        slug = file.header.value("Slug")
        scheduled = date.replace(tzinfo=None) > now
        if (file.is_draft or scheduled) and slug:
            try:
                urls.append(project.settings["DRAFT_URL"].format(slug=slug))
            except (KeyError, IndexError, ValueError):
                continue  # a URL pattern with more than the slug in it
    return urls


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _relative(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _reload_path(changed: Iterable[str]) -> str:
    """What livereload.js reloads: only the stylesheet when only CSS changed."""
    changed = list(changed)
    if all(path.endswith(".css") for path in changed):
        return Path(changed[0]).name
    return "*"


def main(args) -> int:
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    project = load_project(args.settings, args.content)
    server = DevServer(
        project,
        settings_file=args.settings,
        output=args.output,
        host=args.host,
        port=args.port,
        extra_options=args.pelican_options,
        first_after=args.first_after,
    )
    try:
        server.check_output()
        sockets = server.bind()
    except DevServerError as error:
        print(f"devserver: error: {error}", file=sys.stderr)
        return 1
    try:
        built = server.swap_in(server.build())
        server.discard_replaced()
        asyncio.run(server.serve(sockets, index_first=built))
    except KeyboardInterrupt:
        say("stopped")
    finally:
        server.stop_ready()
    return 0
