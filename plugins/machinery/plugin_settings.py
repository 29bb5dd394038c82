"""What the local plugins declare, checked once at the start of every build.

Not a plugin itself: every plugin imports it as `plugins.machinery.plugin_settings`
(pelicanconf.py puts the project's folder on the import path), and calls
`register()` from its own `register()`. At `initialized` it reads, of every
plugin module Pelican loaded:

    SETTINGS = (SettingsDict("READING_TIME", {...}),)
        its settings dicts: each validated (an unknown key, with a "did you
        mean", a wrong type, a wrong value) and stored back in the settings
        merged over its defaults, so the plugin's handlers read them as they are;
    REQUIRES_BEFORE = {"pelican.plugins.series": "why"}
        plugins that must be loaded, earlier in PLUGINS;
    RUNS_AFTER = {"checklists": "why"}
        plugins that, when loaded, must come earlier in PLUGINS.

A mistake stops the build with one line, no traceback, exit status 1, naming
where the setting came from (the settings file given with -s, pelicanconf.py
by default, or -e on the command line) and the key:

    publishconf.py: CHECKLISTS["defualt"]: unknown key (did you mean "default"?)

Pelican's settings do not record the file they were read from, so it is read
from the command line as Pelican's own parser reads it (-s, -e), and trusted
only when Pelican did load that file as a module (`settings.load_source`
registers it under its name); otherwise the line says "the settings".
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

NAMESPACE = "pelican.plugins."


class PluginSettingsError(SystemExit):
    """The build stops: a plugin's settings or PLUGINS' order is wrong.

    A SystemExit, so Pelican (which catches Exception) prints no traceback:
    Python prints the message as the one line of the error, and exits 1."""


# --- kinds of values -------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a key's value must be, as the error message says it."""

    description: str
    accepts: Callable[[Any], bool]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


BOOLEAN = Kind("True or False", lambda value: isinstance(value, bool))
TEXT = Kind("a string", lambda value: isinstance(value, str))


def whole_number(minimum: int) -> Kind:
    return Kind(
        f"a whole number, {minimum} or more",
        lambda value: _whole(value) and value >= minimum,
    )


def one_of(*choices: str) -> Kind:
    return Kind(
        "one of " + ", ".join(shown(choice) for choice in choices),
        lambda value: isinstance(value, str) and value in choices,
    )


def optional(kind: Kind) -> Kind:
    return Kind(
        f"None or {kind.description}",
        lambda value: value is None or kind.accepts(value),
    )


def list_of(description: str, accepts_item: Callable[[Any], bool]) -> Kind:
    """A list whose every item `accepts_item` takes ("a list of paths")."""
    return Kind(
        description,
        lambda value: isinstance(value, list) and all(map(accepts_item, value)),
    )


def _inside_output(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    return not value.startswith("/") and ".." not in value.split("/")


OUTPUT_PATH = Kind('a path inside the output folder, or ""', _inside_output)


def path_with(placeholder: str) -> Kind:
    return Kind(
        f"a path with {placeholder} in it",
        lambda value: _inside_output(value) and placeholder in value,
    )


# --- settings dicts ------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    default: Any
    kind: Kind


@dataclass(frozen=True)
class SettingsDict:
    """One plugin's settings dict: its keys, their defaults and kinds.

    `also_known`: keys of a dict the plugin shares with another reader, which
    checks them itself (DIGEST, read in full by `python -m digest`)."""

    name: str
    options: Mapping[str, Option]
    also_known: Sequence[str] = ()

    def defaults(self) -> dict[str, Any]:
        return {key: option.default for key, option in self.options.items()}

    def read(self, settings: Mapping[str, Any]) -> dict[str, Any]:
        """The dict merged over its defaults; the build stops on a mistake."""
        given = settings.get(self.name)
        if given is None:
            return self.defaults()
        if not isinstance(given, dict):
            self.fail(None, f"must be a dict, not {type(given).__name__}")
        known = [*self.options, *self.also_known]
        for key in given:
            if key not in known:
                self.fail(key, unknown_key(key, known))
        merged = {**self.defaults(), **given}
        for key, option in self.options.items():
            if not option.kind.accepts(merged[key]):
                self.fail(
                    key, f"must be {option.kind.description}, not {shown(merged[key])}"
                )
        return merged

    def fail(self, key: Any, problem: str) -> NoReturn:
        """Stop the build: `problem` with this dict's key (None: the whole dict)."""
        where = self.name if key is None else f"{self.name}[{shown(key)}]"
        stop(self.name, f"{where}: {problem}")


def unknown_key(key: Any, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean {shown(close[0])}?)"
    return "unknown key (the keys: " + ", ".join(shown(k) for k in known) + ")"


def shown(value: Any) -> str:
    """A value as the error line shows it: strings in double quotes."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def stop(setting: str, message: str) -> NoReturn:
    raise PluginSettingsError(f"{setting_origin(setting)}: {message}")


# --- where a setting came from -------------------------------------------------


def _command_line(argv: Sequence[str]) -> argparse.Namespace | None:
    # Pelican's own options for these two (pelican/__init__.py parse_arguments).
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("-s", "--settings")
    parser.add_argument("-e", "--extra-settings", nargs="*", default=[])
    try:
        return parser.parse_known_args(list(argv))[0]
    except (argparse.ArgumentError, SystemExit):
        return None


def _loaded_by_pelican(path: Path) -> bool:
    module = sys.modules.get(path.stem)
    loaded = getattr(module, "__file__", None)
    try:
        return loaded is not None and path.samefile(loaded)
    except OSError:
        return False


def setting_origin(name: str, argv: Sequence[str] | None = None) -> str:
    """Where the setting `name` came from, as an error line begins."""
    args = _command_line(sys.argv[1:] if argv is None else argv)
    if args is None:
        return "the settings"
    if any(str(item).split("=", 1)[0] == name for item in args.extra_settings or []):
        return f"the command line (-e {name})"
    given = args.settings or "pelicanconf.py"
    path = Path(given)
    if not _loaded_by_pelican(path):
        return "the settings"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return given


# --- the check at the start of a build -------------------------------------------


def _short(name: str) -> str:
    return name.removeprefix(NAMESPACE)


def check_order(names: Sequence[str], modules: Sequence[Any]) -> None:
    """Each plugin's REQUIRES_BEFORE and RUNS_AFTER against PLUGINS' order."""
    loaded = [_short(name) for name in names]
    for position, module in enumerate(modules):
        plugin = loaded[position]
        later = loaded[position + 1 :]
        for other, why in getattr(module, "REQUIRES_BEFORE", {}).items():
            if _short(other) not in loaded:
                stop(
                    "PLUGINS",
                    f"PLUGINS: {shown(plugin)} needs {shown(other)} before it, "
                    f"and PLUGINS does not load it ({why})",
                )
        rules = {
            **getattr(module, "REQUIRES_BEFORE", {}),
            **getattr(module, "RUNS_AFTER", {}),
        }
        for other, why in rules.items():
            if _short(other) in later:
                stop(
                    "PLUGINS",
                    f"PLUGINS: {shown(plugin)} must come after {shown(other)} ({why})",
                )


def check_plugins(pelican) -> None:
    """initialized: PLUGINS' order, then every plugin's settings dicts."""
    modules = list(pelican.plugins)  # the plugins registered, in PLUGINS' order
    names = [getattr(module, "__name__", "") for module in modules]
    check_order(names, modules)
    for module in modules:
        for settings_dict in getattr(module, "SETTINGS", ()):
            pelican.settings[settings_dict.name] = settings_dict.read(pelican.settings)


def register() -> None:
    """Called by each plugin's register(); the check is connected once (blinker
    keeps one connection per receiver), ahead of the plugins' own handlers."""
    from pelican import signals

    signals.initialized.connect(check_plugins)
