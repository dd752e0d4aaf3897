"""Resolved settings and rule selection (codes, prefixes, names, presets, ``ALL``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dsql_lint.records import NEW, Record
from dsql_lint.rules.api import Rule
from dsql_lint.rules.registry import lint_rules

#: ``compat`` (the default): what DSQL rejects; ``strict``: plus the house rules that are on by
#: default; ``recommended``: the old name of ``strict``, still accepted; ``all``: every rule.
PRESETS = ("compat", "strict", "recommended", "all")
_PREFIX = re.compile(r"[A-Z]+[0-9]*")


class SettingsError(Exception):
    """A setting that makes no sense; the message names it."""


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class Settings(Record):
    """Everything that changes what dsql-lint reports, after options and config files are merged."""

    preset: str = "compat"
    select: list[str] | None = None  # None: the preset decides
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    options: dict[str, object] = field(default_factory=dict)
    #: Configuration (dsql_lint.config.file): globs are relative to ``root``, the config file's folder.
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    force_exclude: bool = False
    fail_on: str = "warning"  # the lowest severity that makes the exit code 1
    root: str | None = None
    config_path: str | None = None
    migrations: str = "auto"  # the migration tool's format (dsql_lint.migrations), or auto-detect
    include_down: bool = False  # also lint down/undo/revert files and sections
    assume_in_transaction: bool = False  # a psql-like file is sent as one multi-statement string
    diff_base: str | None = None  # report only migration files changed since this git ref
    aws_adapter: bool = False  # the migration tool runs through AWS's DSQL adapter

    def __init__(
        self,
        preset: str = "compat",
        select: list[str] | None = None,
        extend_select: list[str] = NEW,
        ignore: list[str] = NEW,
        options: dict[str, object] = NEW,
        per_file_ignores: dict[str, list[str]] = NEW,
        exclude: list[str] = NEW,
        force_exclude: bool = False,
        fail_on: str = "warning",
        root: str | None = None,
        config_path: str | None = None,
        migrations: str = "auto",
        include_down: bool = False,
        assume_in_transaction: bool = False,
        diff_base: str | None = None,
        aws_adapter: bool = False,
    ) -> None:
        self.preset = preset
        self.select = select
        self.extend_select = [] if extend_select is NEW else extend_select
        self.ignore = [] if ignore is NEW else ignore
        self.options = {} if options is NEW else options
        self.per_file_ignores = {} if per_file_ignores is NEW else per_file_ignores
        self.exclude = [] if exclude is NEW else exclude
        self.force_exclude = force_exclude
        self.fail_on = fail_on
        self.root = root
        self.config_path = config_path
        self.migrations = migrations
        self.include_down = include_down
        self.assume_in_transaction = assume_in_transaction
        self.diff_base = diff_base
        self.aws_adapter = aws_adapter

    def cache_key(self) -> str:
        """A stable string that changes whenever the settings change what is reported."""
        return repr(
            (
                self.preset,
                self.select,
                sorted(self.extend_select),
                sorted(self.ignore),
                sorted((k, repr(v)) for k, v in self.options.items()),
                sorted(self.per_file_ignores.items()),
                self.root,
                (self.migrations, self.include_down, self.assume_in_transaction, self.aws_adapter),
            )
        )


def _in_preset(rule: type[Rule], preset: str) -> bool:
    if preset == "all":
        return True
    if not rule.default_enabled:
        return False
    if preset == "compat":
        return not rule.is_house_rule()
    return True


def match_selector(selector: str, rules: tuple[type[Rule], ...]) -> list[type[Rule]]:
    """Rules a selector names: ``ALL``, a code, a code prefix (``DSQL3``), or a kebab name."""
    key = selector.strip()
    if key.upper() == "ALL":
        return list(rules)
    upper = key.upper()
    by_code = [r for r in rules if r.code == upper]
    if by_code:
        return by_code
    by_name = [r for r in rules if r.name == key.lower()]
    if by_name:
        return by_name
    if _PREFIX.fullmatch(upper):
        return [r for r in rules if r.code.startswith(upper)]
    return []


def resolve_selectors(selectors: list[str], rules: tuple[type[Rule], ...], origin: str) -> list[type[Rule]]:
    """Rules named by ``selectors``; an unknown selector is an error naming ``origin``."""
    chosen: list[type[Rule]] = []
    for selector in selectors:
        matched = match_selector(selector, rules)
        if not matched:
            raise SettingsError(
                f"{origin}: unknown rule selector {selector!r} (use a code like DSQL301, "
                "a prefix like DSQL3, a rule name like index-without-async, or ALL)"
            )
        chosen.extend(matched)
    return chosen


def selected_rules(settings: Settings, origin: str = "settings") -> list[type[Rule]]:
    """The rules that run under ``settings``, sorted by code."""
    if settings.preset not in PRESETS:
        raise SettingsError(f"{origin}: unknown preset {settings.preset!r}; choose one of {', '.join(PRESETS)}")
    rules = lint_rules()  # metadata only: built-in statement rules need not be imported
    if settings.select is not None:
        chosen = set(resolve_selectors(settings.select, rules, f"{origin} (select)"))
    else:
        chosen = {r for r in rules if _in_preset(r, settings.preset)}
    chosen |= set(resolve_selectors(settings.extend_select, rules, f"{origin} (extend-select)"))
    chosen -= set(resolve_selectors(settings.ignore, rules, f"{origin} (ignore)"))
    return sorted(chosen, key=lambda r: r.code)
