"""The devserver's search index: Pagefind over the output, after each build.

The devserver builds without the index (plugins/features/pagefind_search, setting
PAGEFIND_SEARCH = {"build_index": False}) so that the page reloads at once;
this runs Pagefind's CLI over the written site afterwards, in the
background, and a new build cancels a run still going.

Pagefind writes its bundle file by file, and a run stopped halfway leaves a
bundle whose entry file names index files that were never written: search
would fail. So each run writes into a folder of its own beside the bundle
(`pagefind.next`), and only a finished run's folder takes the bundle's place
(two renames); a cancelled or failed run's folder is deleted, and the last
good bundle keeps being served.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path

# The plugin's folder name and binary lookup: the devserver writes the bundle
# the theme's pages load, with the binary the build would use.
from plugins.features.pagefind_search.pagefind_search import (
    BUNDLE_DIR,
    pagefind_executable,
)


class SearchIndex:
    """At most one Pagefind run at a time over `output`; `say` reports."""

    def __init__(self, output: Path, say: Callable[[str], None]):
        self.output = output
        self.say = say
        self.bundle = output / BUNDLE_DIR
        self.staging = output / f"{BUNDLE_DIR}.next"
        self.replaced = output / f"{BUNDLE_DIR}.old"
        self._task: asyncio.Task | None = None

    def command(self, executable: Path) -> list[str]:
        return [
            str(executable),
            "--site",
            str(self.output),
            "--output-path",
            str(self.staging),
            "--quiet",
        ]

    def start(self) -> None:
        """Index in the background (after a build and its reload)."""
        self._task = asyncio.create_task(self.run())

    async def cancel(self) -> None:
        """Stop a run still going (a new build starts); keep the last bundle."""
        task, self._task = self._task, None
        if task and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self.say("search index: stopped, a new build started")

    async def wait(self) -> None:
        if self._task:
            await asyncio.shield(self._task)

    async def run(self) -> bool:
        """One run: True when the new bundle is in place."""
        try:
            executable = pagefind_executable()
        except (ImportError, FileNotFoundError):
            self.say("search index: no Pagefind binary; search shows the last index")
            return False
        started = time.perf_counter()
        await _remove(self.staging, self.replaced)  # left by a stopped devserver
        # A session of its own: a wrapper script and its children stop together.
        process = await asyncio.create_subprocess_exec(
            *self.command(executable),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            output, _ = await process.communicate()
        except asyncio.CancelledError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()
            await _remove(self.staging)
            raise
        if process.returncode != 0:
            await _remove(self.staging)
            message = output.decode("utf-8", "replace").strip()
            self.say(
                f"search index: Pagefind failed (exit {process.returncode}): "
                f"{message}; search shows the last index"
            )
            return False
        # The window between the two renames is the only moment without a
        # bundle: microseconds, against the seconds a half-written one lasts.
        if self.bundle.exists():
            self.bundle.rename(self.replaced)
        self.staging.rename(self.bundle)
        await _remove(self.replaced)
        self.say(f"search index updated in {time.perf_counter() - started:.2f} s")
        return True


async def _remove(*folders: Path) -> None:
    """Delete folders in a thread: a thousand files take a while."""
    loop = asyncio.get_running_loop()
    for folder in folders:
        if folder.exists():
            await loop.run_in_executor(None, shutil.rmtree, folder)
