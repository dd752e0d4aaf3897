"""Configuration files: discovery, TOML loading, validation, and merging with command-line options.

dsql-lint reads ``dsql-lint.toml`` or ``.dsql-lint.toml`` (keys at the top level), or the
``[tool.dsql-lint]`` table of ``pyproject.toml``, from the nearest folder at or above the
linted path; ``--config PATH`` names the file instead. Every mistake in a file (malformed
TOML, an unknown key, a value of the wrong type, an unknown rule code) is a
:class:`ConfigError` whose message names the file and the key.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dsql_lint.config.globs import path_matches
from dsql_lint.config.settings import PRESETS, Settings, SettingsError, resolve_selectors
from dsql_lint.records import NEW, Record

#: File names searched in every folder, in this order; the first one found wins.
CONFIG_NAMES = ("dsql-lint.toml", ".dsql-lint.toml", "pyproject.toml")
FAIL_ON = ("warning", "error")
LIVE_KEYS = (
    "endpoint",
    "region",
    "user",
    "schema",
    "port",
    "database",
    "profile",
    "sslrootcert",
    "tls-negotiation",
    "hostaddr",
    "statement-timeout",
    "connect-timeout",
    "max-retries",
    "dml-check",
    "index-limit",
)
_LIVE_NUMBERS = {
    "port": int,
    "connect-timeout": int,
    "max-retries": int,
    "index-limit": int,
    "statement-timeout": float,
}


class ConfigError(Exception):
    """A configuration file or option that cannot be used; the message is one sentence naming it."""


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class ConfigFile(Record):
    """A configuration as read from one file (or no file): its path, its folder and its raw keys."""

    path: Path | None
    values: dict[str, Any] = field(default_factory=dict)

    def __init__(self, path: Path | None, values: dict[str, Any] = NEW) -> None:
        self.path = path
        self.values = {} if values is NEW else values

    @property
    def root(self) -> Path:
        """The folder that globs in ``exclude`` and ``per-file-ignores`` are relative to."""
        return self.path.parent if self.path is not None else Path.cwd()

    @property
    def origin(self) -> str:
        """How messages name the configuration: ``pyproject.toml: [tool.dsql-lint]`` or the file."""
        if self.path is None:
            return "configuration"
        shown = _display(self.path)
        return f"{shown}: [tool.dsql-lint]" if self.path.name == "pyproject.toml" else shown


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read configuration file {_display(path)}: {exc}") from None
    if sys.version_info >= (3, 11):  # imported here: a run without a config file never needs it (~4 ms)
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_display(path)} is not valid TOML: {exc}") from None
    except RecursionError:  # thousands of nested arrays or tables: the TOML reader recurses per level
        raise ConfigError(f"{_display(path)} is nested too deeply to be read as TOML") from None


def _table_of(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """The dsql-lint keys of a parsed file, or None when a pyproject.toml has no such table."""
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    if not isinstance(tool, dict) or "dsql-lint" not in tool:
        return None
    table = tool["dsql-lint"]
    if not isinstance(table, dict):
        raise ConfigError(f"{_display(path)}: [tool.dsql-lint] must be a table")
    return table


#: A folder holding one of these is a repository's root: the search for a configuration stops
#: there, as black's and ruff's do, so another project's file further up never applies.
REPOSITORY_MARKERS = (".git", ".hg", ".svn")


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (a pyproject.toml counts only with [tool.dsql-lint]),
    up to the root of the repository that holds ``start``."""
    try:
        here = start.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError "Symlink loop" before Python 3.13)
        here = Path(os.path.realpath(start))
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml":
                return candidate
            try:
                if _table_of(candidate, _read_toml(candidate)) is not None:
                    return candidate
            except ConfigError:
                return candidate  # a broken pyproject.toml is reported when it is loaded
        if any(os.path.exists(folder / marker) for marker in REPOSITORY_MARKERS):
            return None
    return None


def load_config(path: Path) -> ConfigFile:
    """Read and validate one configuration file."""
    if not path.is_file():
        raise ConfigError(f"configuration file {_display(path)} does not exist")
    table = _table_of(path, _read_toml(path))
    config = ConfigFile(path.resolve(), dict(table or {}))
    validate(config)
    return config


def discover_config(paths: Sequence[str], explicit: str | None = None, stdin_filename: str | None = None) -> ConfigFile:
    """The configuration for a run: ``explicit`` if given, else the nearest file above the first path."""
    if explicit:
        return load_config(Path(explicit))
    first = next((p for p in paths if p != "-"), None)
    if first is None:
        first = os.path.dirname(stdin_filename) if stdin_filename else "."
    found = find_config(Path(first or "."))
    return load_config(found) if found is not None else ConfigFile(None)


# -- validation ----------------------------------------------------------------------------------


def _string_list(config: ConfigFile, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{config.origin}: `{key}` must be a list of strings")
    return list(value)


def _choice(choices: Iterable[str]) -> Callable[[ConfigFile, str, Any], str]:
    allowed = tuple(choices)

    def check(config: ConfigFile, key: str, value: Any) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise ConfigError(f"{config.origin}: `{key}` must be one of {', '.join(allowed)} (got {value!r})")
        return value

    return check


def _boolean(config: ConfigFile, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{config.origin}: `{key}` must be true or false")
    return value


def _string(config: ConfigFile, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{config.origin}: `{key}` must be a string")
    return value


def _migration_formats() -> tuple[str, ...] | None:
    try:
        from dsql_lint.migrations.files import FORMATS
    except ImportError:  # pragma: no cover - migration formats not available
        return None
    return tuple(FORMATS)


def _migrations(config: ConfigFile, key: str, value: Any) -> str:
    value = _string(config, key, value)
    formats = _migration_formats()
    if formats is not None and value not in formats:
        raise ConfigError(f"{config.origin}: `{key}` must be one of {', '.join(formats)} (got {value!r})")
    return value


def _per_file_ignores(config: ConfigFile, key: str, value: Any) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{config.origin}: `{key}` must be a table of glob = [codes]")
    return {str(glob): _string_list(config, f"{key}.{glob}", codes) for glob, codes in value.items()}


def _live(config: ConfigFile, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{config.origin}: `{key}` must be a table")
    for name, item in value.items():
        if name not in LIVE_KEYS:
            raise ConfigError(f"{config.origin}: [live] unknown key {name!r}{_did_you_mean(name, LIVE_KEYS)}")
        if name in _LIVE_NUMBERS:
            kinds = (int, float) if _LIVE_NUMBERS[name] is float else (int,)
            if not isinstance(item, kinds) or isinstance(item, bool):
                what = "a number" if _LIVE_NUMBERS[name] is float else "an integer"
                raise ConfigError(f"{config.origin}: `live.{name}` must be {what}")
        elif not isinstance(item, str):
            raise ConfigError(f"{config.origin}: `live.{name}` must be a string")
    return dict(value)


#: Every key a configuration file may hold, and how its value is checked.
KEYS: dict[str, Callable[[ConfigFile, str, Any], Any]] = {
    "select": _string_list,
    "extend-select": _string_list,
    "ignore": _string_list,
    "per-file-ignores": _per_file_ignores,
    "exclude": _string_list,
    "extend-exclude": _string_list,
    "force-exclude": _boolean,
    "preset": _choice(PRESETS),
    "migrations": _migrations,
    "aws-adapter": _boolean,
    "fail-on": _choice(FAIL_ON),
    "output-format": _string,
    "live": _live,
}


def _where(config: ConfigFile) -> str:
    """``pyproject.toml: [tool.dsql-lint] `` or ``dsql-lint.toml: ``: the start of an error about a key."""
    return f"{config.origin} " if config.origin.endswith("]") else f"{config.origin}: "


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    import difflib  # only for an error message

    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def validate(config: ConfigFile) -> None:
    """Check every key and value of ``config`` and normalise the values in place."""
    for key in list(config.values):
        check = KEYS.get(key)
        if check is None:
            raise ConfigError(f"{_where(config)}unknown key {key!r}{_did_you_mean(key, KEYS)}")
        config.values[key] = check(config, key, config.values[key])
    _check_rule_selectors(config)


def _check_rule_selectors(config: ConfigFile) -> None:
    from dsql_lint.rules.registry import lint_rules

    rules = lint_rules()
    groups: list[tuple[str, list[str]]] = [
        (key, config.values[key]) for key in ("select", "extend-select", "ignore") if key in config.values
    ]
    groups += [(f"per-file-ignores.{glob}", codes) for glob, codes in config.values.get("per-file-ignores", {}).items()]
    for key, selectors in groups:
        try:
            resolve_selectors(selectors, rules, f"{config.origin}: `{key}`")
        except SettingsError as exc:
            raise ConfigError(str(exc)) from None


# -- merging -------------------------------------------------------------------------------------


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class Overrides(Record):
    """What the command line says; ``None`` (or empty) means "not given, use the file"."""

    preset: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] | None = None
    extend_exclude: list[str] = field(default_factory=list)
    force_exclude: bool | None = None
    fail_on: str | None = None
    migrations: str | None = None

    def __init__(
        self,
        preset: str | None = None,
        select: list[str] | None = None,
        extend_select: list[str] = NEW,
        ignore: list[str] = NEW,
        exclude: list[str] | None = None,
        extend_exclude: list[str] = NEW,
        force_exclude: bool | None = None,
        fail_on: str | None = None,
        migrations: str | None = None,
    ) -> None:
        self.preset = preset
        self.select = select
        self.extend_select = [] if extend_select is NEW else extend_select
        self.ignore = [] if ignore is NEW else ignore
        self.exclude = exclude
        self.extend_exclude = [] if extend_exclude is NEW else extend_exclude
        self.force_exclude = force_exclude
        self.fail_on = fail_on
        self.migrations = migrations


def build_settings(config: ConfigFile, overrides: Overrides | None = None) -> Settings:
    """Settings from a configuration file, with command-line options taking precedence.

    ``--select`` and ``--preset`` replace the file's values; ``--extend-select``,
    ``--ignore`` and ``--extend-exclude`` add to them; ``--exclude`` replaces ``exclude``.
    """
    cli = overrides or Overrides()
    values = config.values
    settings = Settings(
        preset=cli.preset or values.get("preset", "compat"),
        select=cli.select if cli.select is not None else values.get("select"),
        extend_select=[*values.get("extend-select", []), *cli.extend_select],
        ignore=[*values.get("ignore", []), *cli.ignore],
    )
    settings.per_file_ignores = dict(values.get("per-file-ignores", {}))
    settings.exclude = [
        *(cli.exclude if cli.exclude is not None else values.get("exclude", [])),
        *values.get("extend-exclude", []),
        *cli.extend_exclude,
    ]
    settings.force_exclude = cli.force_exclude if cli.force_exclude is not None else values.get("force-exclude", False)
    settings.fail_on = cli.fail_on or values.get("fail-on", "warning")
    settings.root = str(config.root)
    settings.config_path = str(config.path) if config.path is not None else None
    migrations = cli.migrations or values.get("migrations")
    if migrations is not None:
        settings.migrations = migrations
    if "aws-adapter" in values:
        settings.aws_adapter = values["aws-adapter"]
    if "live" in values:
        settings.options["live"] = dict(values["live"])
    return settings


# -- paths ---------------------------------------------------------------------------------------


def is_excluded(path: str, settings: Settings) -> bool:
    """True when ``path`` (or a folder above it, up to the root) matches an ``exclude`` glob."""
    if not settings.exclude:
        return False
    return path_matches(path, settings.exclude, Path(settings.root or "."), parents=True)


def select_paths(paths: Sequence[str], settings: Settings) -> list[str]:
    """Expand paths as ``discover`` does, then drop excluded files.

    Files named explicitly are kept unless ``force_exclude`` is set (pre-commit passes
    files by name, so its hook uses ``--force-exclude``); files found in folders always
    honour ``exclude``.
    """
    from dsql_lint.frontend.discover import STDIN, discover

    if not settings.exclude:
        return list(paths)  # nothing to drop: leave folders to the migration plan
    chosen: list[str] = []
    for raw in paths:
        if raw == STDIN:
            chosen.append(raw)
            continue
        explicit = not Path(raw).is_dir()
        for found in discover([raw]):
            if (not explicit or settings.force_exclude) and is_excluded(found, settings):
                continue
            if found not in chosen:
                chosen.append(found)
    return chosen


def ignored_codes_for(path: str, settings: Settings) -> list[str]:
    """The rule selectors that ``per-file-ignores`` turns off for ``path``."""
    codes: list[str] = []
    root = Path(settings.root or ".")
    for glob, selectors in settings.per_file_ignores.items():
        if path_matches(path, [glob], root, parents=True):
            codes.extend(selectors)
    return codes


def describe(config: ConfigFile, settings: Settings) -> dict[str, Any]:
    """The resolved configuration, as ``dsql-lint config`` prints it."""
    from dsql_lint.config.settings import selected_rules

    return {
        "config-file": str(config.path) if config.path else None,
        "root": settings.root,
        "preset": settings.preset,
        "select": settings.select,
        "extend-select": settings.extend_select,
        "ignore": settings.ignore,
        "per-file-ignores": settings.per_file_ignores,
        "exclude": settings.exclude,
        "force-exclude": settings.force_exclude,
        "fail-on": settings.fail_on,
        "migrations": getattr(settings, "migrations", "auto"),
        "aws-adapter": settings.aws_adapter,
        "live": settings.options.get("live", {}),
        "rules": [r.code for r in selected_rules(settings, config.origin)],
    }


def to_toml(values: Mapping[str, Any]) -> str:
    """A small TOML writer for ``dsql-lint config`` (strings, bools, lists and one level of tables)."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in values.items():
        if isinstance(value, Mapping):
            tables.append((key, value))
        elif value is not None:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, table in tables:
        lines.append(f"\n[{_toml_key(key)}]")
        lines.extend(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if key.replace("-", "").replace("_", "").isalnum() else _toml_value(key)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
