"""Every option of ``dsql-lint check``, declared once (issue 18).

Three readers build what they need from :data:`OPTIONS`:

- :func:`dsql_lint.cli.app.check` gets its click options (types, defaults, help, ``--help``
  sections) from :func:`click_options`; ``doctor`` takes the live ones;
- :mod:`dsql_lint.cli.quickcheck` reads a plain command line without click: its defaults, flags and
  value options are :data:`DEFAULTS`, :data:`QUICK_FLAGS` and :data:`QUICK_VALUES`;
- :mod:`dsql_lint.cli.fastpath` replays an unchanged run only for the options marked ``replay``.

This module is plain data (no click, no typing): the replay path imports it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class Option:
    """One option: how it is spelt, what it sets, and who may read it without click.

    ``kind`` is ``flag`` (sets True), ``switch`` (``--x/--no-x``: True, False, or None when
    absent), ``choice`` (one of ``choices``), ``migrations`` (a migration tool's name), ``str``,
    ``multi`` (repeatable, a tuple), ``path`` (``path`` = click.Path's file_okay, dir_okay,
    writable), ``jobs`` (an int >= 0), ``int`` or ``float``. ``quick``: the quick parser reads
    it (else a command line with it goes to click). ``replay``: a run with it may be recorded
    and replayed (its effect is in the arguments and the files the run reads).
    """

    __slots__ = (
        "choices",
        "default",
        "envvar",
        "help",
        "kind",
        "metavar",
        "names",
        "param",
        "path",
        "quick",
        "replay",
        "section",
    )

    def __init__(
        self,
        names: tuple[str, ...],
        param: str,
        kind: str,
        section: str,
        help: str,
        *,
        default: Any = None,
        choices: tuple[str, ...] = (),
        path: tuple[bool, bool, bool] | None = None,
        envvar: str | None = None,
        metavar: str | None = None,
        quick: bool = True,
        replay: bool = False,
    ) -> None:
        self.names = names
        self.param = param
        self.kind = kind
        self.section = section
        self.help = help
        self.default = default
        self.choices = choices
        self.path = path
        self.envvar = envvar
        self.metavar = metavar
        self.quick = quick
        self.replay = replay

    def spellings(self) -> list[tuple[str, bool | None]]:
        """Each way to write it on a command line, with the value a flag or switch spelling sets."""
        found: list[tuple[str, bool | None]] = []
        for name in self.names:
            if self.kind == "switch":
                on, off = name.split("/")
                found += [(on, True), (off, False)]
            elif self.kind == "flag":
                found.append((name, True))
            else:
                found.append((name, None))
        return found


RULES = "Rules"
OUTPUT = "Output"
MIGRATIONS = "Migration tools"
FIXES = "Fixes"
SPEED = "Cache and speed"
LIVE = "Live mode (asks a real cluster)"
#: The ``check --help`` sections, in the order a reader looks for an option.
SECTIONS = (RULES, OUTPUT, MIGRATIONS, FIXES, SPEED, LIVE)
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")

OPTIONS: tuple[Option, ...] = (
    # -- rules
    Option(
        ("--preset",),
        "preset",
        "choice",
        RULES,
        "Rule set: compat (what DSQL rejects, the default), strict (compat + house rules; "
        "recommended is its old name), all.",
        choices=("compat", "strict", "recommended", "all"),
        replay=True,
    ),
    Option(
        ("--select",),
        "select",
        "multi",
        RULES,
        "Only these rules (codes, prefixes like DSQL3, names, or ALL).",
        default=(),
        replay=True,
    ),
    Option(
        ("--extend-select",), "extend_select", "multi", RULES, "Rules to add to the selection.", default=(), replay=True
    ),
    Option(("--ignore",), "ignore", "multi", RULES, "Rules to leave out.", default=(), replay=True),
    Option(
        ("--config",),
        "config_path",
        "path",
        RULES,
        "Configuration file (default: the nearest dsql-lint.toml, .dsql-lint.toml or pyproject.toml "
        "with [tool.dsql-lint], searching upwards from the first path).",
        path=(True, False, False),
        replay=True,
    ),
    Option(
        ("--exclude",),
        "exclude",
        "multi",
        RULES,
        "Globs of files and folders to skip (replaces `exclude`).",
        default=(),
        replay=True,
    ),
    Option(
        ("--extend-exclude",),
        "extend_exclude",
        "multi",
        RULES,
        "Globs to skip in addition to `exclude`.",
        default=(),
        replay=True,
    ),
    Option(
        ("--force-exclude/--no-force-exclude",),
        "force_exclude",
        "switch",
        RULES,
        "Apply `exclude` to files named on the command line too (as pre-commit names them).",
        replay=True,
    ),
    Option(("--stdin-filename",), "stdin_filename", "str", RULES, "The name to report for standard input."),
    # -- output
    Option(
        ("--format",),
        "output_format",
        "choice",
        OUTPUT,
        "Output format (default: `output-format` from the configuration, else text).",
        choices=FORMATS,
        replay=True,
    ),
    Option(
        ("--color/--no-color",),
        "color",
        "switch",
        OUTPUT,
        "Force colour on or off (default: on a terminal).",
        replay=True,
    ),
    Option(
        ("--output-file", "-o"),
        "output_file",
        "path",
        OUTPUT,
        "Write the report to this file (never coloured).",
        path=(True, False, True),
    ),
    Option(
        ("--statistics",),
        "statistics",
        "flag",
        OUTPUT,
        "Print the number of findings per rule instead.",
        default=False,
        replay=True,
    ),
    Option(
        ("--fail-on",),
        "fail_on",
        "choice",
        OUTPUT,
        "Lowest severity that makes the exit code 1 (default: warning, so any finding).",
        choices=("warning", "error"),
        replay=True,
    ),
    Option(
        ("--exit-zero",),
        "exit_zero",
        "flag",
        OUTPUT,
        "Exit 0 even with findings (2 still means error).",
        default=False,
        replay=True,
    ),
    # -- migration tools
    Option(
        ("--format-of-migrations",),
        "format_of_migrations",
        "migrations",
        MIGRATIONS,
        "Migration tool of the folders (default: auto, recognised folder by folder).",
        replay=True,
    ),
    Option(
        ("--include-down/--no-include-down",),
        "include_down",
        "switch",
        MIGRATIONS,
        "Also lint down/undo/revert files and sections.",
        replay=True,
    ),
    Option(
        ("--assume-in-transaction/--no-assume-in-transaction",),
        "assume_in_transaction",
        "switch",
        MIGRATIONS,
        "Each plain/psql file is sent as one multi-statement string (psql -c, a driver's simple "
        "query): DSQL runs it as one transaction.",
        replay=True,
    ),
    Option(
        ("--aws-adapter/--no-aws-adapter",),
        "aws_adapter",
        "switch",
        MIGRATIONS,
        "The tool runs through AWS's DSQL adapter (Flyway's aurora-dsql-flyway-support: one statement "
        "at a time); config key: aws-adapter = true.",
    ),
    Option(
        ("--diff-base",),
        "diff_base",
        "str",
        MIGRATIONS,
        "Report only migration files added or changed since git REF (earlier files still build the schema).",
        metavar="REF",
    ),
    # -- fixes
    Option(
        ("--fix",),
        "fix",
        "flag",
        FIXES,
        "Apply safe fixes in place (add --unsafe-fixes for the others); exit 1 if findings remain.",
        default=False,
    ),
    Option(
        ("--diff",),
        "diff",
        "flag",
        FIXES,
        "Print a unified diff of the fixes instead of writing them; exit 1 if anything would change.",
        default=False,
    ),
    Option(
        ("--unsafe-fixes",),
        "unsafe_fixes",
        "flag",
        FIXES,
        "Also apply fixes that change behaviour (review them); without --fix, count them as fixable.",
        default=False,
    ),
    Option(
        ("--add-noqa",),
        "add_noqa",
        "flag",
        FIXES,
        "Add `-- noqa: CODE` comments that silence every current finding (to adopt dsql-lint on old files).",
        default=False,
    ),
    # -- cache and speed
    Option(
        ("--no-cache",),
        "no_cache",
        "flag",
        SPEED,
        "Lint every file again instead of reusing cached results.",
        default=False,
    ),
    Option(
        ("--cache-dir",),
        "cache_dir",
        "path",
        SPEED,
        "Where to keep the per-file cache (default: .dsql-lint-cache).",
        path=(False, True, False),
        envvar="DSQL_LINT_CACHE_DIR",
        replay=True,
    ),
    Option(
        ("--jobs", "-j"),
        "jobs",
        "jobs",
        SPEED,
        "Processes for linting many files (default 0: one per CPU).",
        default=0,
        replay=True,
    ),
    # -- live mode (never read without click, never replayed)
    Option(
        ("--live",),
        "live",
        "flag",
        LIVE,
        "Also ask a real Aurora DSQL cluster about each statement (never commits).",
        default=False,
        quick=False,
    ),
    Option(
        ("--endpoint",),
        "endpoint",
        "str",
        LIVE,
        "[live] Cluster endpoint <id>.dsql.<region>.on.aws (default: $CLUSTER_ENDPOINT).",
        quick=False,
    ),
    Option(
        ("--region",),
        "region",
        "str",
        LIVE,
        "[live] AWS region (default: $REGION, else from the endpoint).",
        quick=False,
    ),
    Option(("--user",), "user", "str", LIVE, "[live] Database role (default: $CLUSTER_USER, else admin).", quick=False),
    Option(("--port",), "port", "int", LIVE, "[live] Port (default: $DB_PORT, else 5432).", quick=False),
    Option(
        ("--database",), "database", "str", LIVE, "[live] Database (default: $DB_NAME, else postgres).", quick=False
    ),
    Option(
        ("--profile",),
        "profile",
        "str",
        LIVE,
        "[live] AWS profile for credentials (default: the normal chain).",
        quick=False,
    ),
    Option(("--schema",), "schema", "str", LIVE, "[live] Schema of a non-admin role (default: myschema).", quick=False),
    Option(
        ("--sslrootcert",),
        "sslrootcert",
        "str",
        LIVE,
        "[live] CA bundle (default: the system trust store).",
        quick=False,
    ),
    Option(
        ("--tls-negotiation",),
        "tls_negotiation",
        "choice",
        LIVE,
        "[live] TLS negotiation (default: auto, direct when libpq >= 17).",
        choices=("auto", "direct", "classic"),
        quick=False,
    ),
    Option(
        ("--hostaddr",),
        "hostaddr",
        "str",
        LIVE,
        "[live] Connect to this IP address; TLS still verifies the endpoint name.",
        quick=False,
    ),
    Option(
        ("--statement-timeout",),
        "statement_timeout",
        "float",
        LIVE,
        "[live] Seconds per statement (default: 30).",
        quick=False,
    ),
    Option(
        ("--dml-check",),
        "dml_check",
        "choice",
        LIVE,
        "[live] Check DML with EXPLAIN (default) or run it in a rolled-back transaction.",
        choices=("explain", "execute"),
        quick=False,
    ),
    Option(
        ("--scratch-cluster",),
        "scratch_cluster",
        "flag",
        LIVE,
        "[live] The cluster's data may be lost: also run DROP, ALTER ... DROP, CREATE OR REPLACE and "
        "(with --dml-check execute) data changes, in rolled-back transactions. Without it they are checked "
        "from the catalog only.",
        quick=True,  # a flag: read without click (it changes nothing without --live)
    ),
)

#: Every parameter of ``cli.check`` and the value click gives it when the option is absent.
DEFAULTS: dict[str, Any] = {"paths": (), **{o.param: o.default for o in OPTIONS}}
#: Flag and switch spellings the quick parser reads: spelling -> (parameter, value it sets).
QUICK_FLAGS: dict[str, tuple[str, bool]] = {
    name: (o.param, bool(value))
    for o in OPTIONS
    if o.quick and o.kind in ("flag", "switch")
    for name, value in o.spellings()
}
#: Value options the quick parser reads: spelling -> (parameter, kind or the tuple of choices).
QUICK_VALUES: dict[str, tuple[str, Any]] = {
    name: (o.param, o.choices if o.kind == "choice" else o.kind)
    for o in OPTIONS
    if o.quick and o.kind not in ("flag", "switch")
    for name in o.names
}
#: click.Path() arguments of the path parameters: (file_okay, dir_okay, writable).
PATH_TYPES: dict[str, tuple[bool, bool, bool]] = {
    "paths": (True, True, False),
    **{o.param: o.path for o in OPTIONS if o.path is not None},
}
#: Spellings of the value options and of the flags a replayable run may use.
REPLAY_VALUES = frozenset(n for o in OPTIONS if o.replay and o.kind not in ("flag", "switch") for n in o.names)
REPLAY_FLAGS = frozenset(n for o in OPTIONS if o.replay and o.kind in ("flag", "switch") for n, _ in o.spellings())


def click_options(*, live_only: bool = False, with_live_flag: bool = True) -> Callable[[Any], Any]:
    """A decorator adding the options to a click command, in :data:`OPTIONS` order (``doctor``
    takes only the live connection options, without ``--live``)."""
    import click

    def decorate(func: Any) -> Any:
        chosen = [o for o in OPTIONS if not live_only or o.section == LIVE]
        if not with_live_flag:
            chosen = [o for o in chosen if o.param != "live"]
        for option in reversed(chosen):
            func = click.option(*option.names, option.param, **_click_arguments(option, click))(func)
        return func

    return decorate


def _click_arguments(option: Option, click: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {"default": option.default, "help": option.help}
    kind = option.kind
    if kind == "flag":
        arguments["is_flag"] = True
    elif kind == "multi":
        arguments["multiple"] = True
    elif kind == "choice":
        arguments["type"] = click.Choice(list(option.choices))
    elif kind == "migrations":
        from dsql_lint.migrations.files import FORMATS as TOOLS

        arguments["type"] = click.Choice(list(TOOLS))
    elif kind == "path" and option.path is not None:
        file_okay, dir_okay, writable = option.path
        arguments["type"] = click.Path(file_okay=file_okay, dir_okay=dir_okay, writable=writable)
    elif kind == "jobs":
        arguments["type"] = click.IntRange(min=0)
    elif kind == "int":
        arguments["type"] = int
    elif kind == "float":
        arguments["type"] = float
    if option.envvar:
        arguments["envvar"] = option.envvar
    if option.metavar:
        arguments["metavar"] = option.metavar
    return arguments


def help_sections() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``check --help``'s sections: (title, the parameters it lists, in order)."""
    return tuple((title, tuple(o.param for o in OPTIONS if o.section == title)) for title in SECTIONS)
