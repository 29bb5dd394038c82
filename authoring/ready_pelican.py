"""A Pelican build process started before it is needed, its libraries imported.

Every devserver build is a fresh `python -m pelican`, so that a changed plugin
or setting is always the one that runs; but a fresh interpreter spends about
a quarter of a second importing Pelican and its libraries before it reads a
file. The devserver keeps one process of this module waiting: it imports the
libraries (never the settings file or a plugin: those the build imports when
it starts, from the files as they are then), waits for its command line, one
JSON list on stdin, and runs Pelican's own `main` on it, as `python -m
pelican` does. One process, one build; stdin closed with no line: it exits.

    python authoring/ready_pelican.py    (started by authoring/devserver.py)
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import sys

# What every build imports before it reads a file (python -X importtime).
LIBRARIES = (
    "pelican",
    "pelican.generators",
    "pelican.readers",
    "pelican.writers",
    "markdown",
    "jinja2",
    "feedgenerator",
    "lxml.html",
    "markdown_it",
)


def main() -> int:
    # As under `python -m pelican`: the working folder first on the path, not
    # this script's folder.
    sys.path[0] = os.getcwd()
    try:
        for name in LIBRARIES:
            with contextlib.suppress(ImportError):  # the build reports it
                importlib.import_module(name)
        line = sys.stdin.readline()
    except KeyboardInterrupt:  # Ctrl-C while waiting: no build to stop
        return 130
    if not line:
        return 0
    arguments = json.loads(line)
    sys.argv = ["pelican", *arguments]  # read again by the plugins' settings helper
    from pelican import main as pelican_main

    # Pelican's main catches KeyboardInterrupt, logs "Keyboard interrupt
    # received" and returns as if the build had succeeded (exit 0): the
    # devserver would then serve a half-written site. Ctrl-C ends the
    # devserver too; a SIGINT sent to the build alone must fail it.
    interrupted = []

    def interrupt(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    pelican_main(arguments)
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
