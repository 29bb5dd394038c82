"""`python -m authoring newpost | check | checklists | devserver | serve`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--settings",
        type=Path,
        default=Path("pelicanconf.py"),
        help="Pelican settings file (default: pelicanconf.py)",
    )
    parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="content folder (default: PATH from the settings)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m authoring", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    newpost = commands.add_parser(
        "newpost", help="create the next essay as a draft, every field filled"
    )
    _common(newpost)
    newpost.add_argument(
        "--title",
        default=os.environ.get("TITLE"),
        help="the essay's title (default: $TITLE, as `make newpost TITLE=...` sets)",
    )
    newpost.add_argument("--slug", help="the URL slug (default: made from the title)")

    check = commands.add_parser("check", help="validate the content without building")
    _common(check)
    check.add_argument(
        "files", nargs="*", type=Path, help="report only these files (default: all)"
    )

    checklists = commands.add_parser(
        "checklists",
        help="print each essay's checklists and the lists left out, and why",
    )
    _common(checklists)

    devserver = commands.add_parser(
        "devserver", help="build, serve, and reload the browser on every save"
    )
    _common(devserver)
    devserver.add_argument("--output", type=Path, default=Path("output"))
    devserver.add_argument("--host", default="127.0.0.1")
    devserver.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    devserver.add_argument(
        "--first-after",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="show a saved essay's page before the rest of the site when the "
        "last build took longer than this (default 1)",
    )
    devserver.add_argument(
        "pelican_options",
        nargs=argparse.REMAINDER,
        help="after --: more options for every pelican build",
    )
    serve = commands.add_parser(
        "serve", help="serve the built site without building (make serve)"
    )
    serve.add_argument("--output", type=Path, default=Path("output"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    return parser


def main(argv: list[str] | None = None) -> int:
    from authoring.project import ProjectError
    from plugins.machinery import compat

    args = build_parser().parse_args(argv)
    # The library parts no release promises, before any work: one line each
    # for what is missing (plugins/machinery/compat).
    compat.check()
    try:
        return _run(args)
    except ProjectError as error:
        print(f"{args.command}: error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "newpost":
        from authoring.newpost import main as newpost

        return newpost(args)
    if args.command == "check":
        from authoring.check import main as check

        return check(args)
    if args.command == "checklists":
        from authoring.checklist_report import main as checklists

        return checklists(args)
    if args.command == "serve":
        from authoring.serve import main as serve

        return serve(args)
    from authoring.devserver import main as devserver

    return devserver(args)


if __name__ == "__main__":
    sys.exit(main())
