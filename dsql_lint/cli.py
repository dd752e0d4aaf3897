"""The ``dsql-lint`` command line: wires sources, rules and reporters together.

Exit codes: 0 no findings, 1 findings, 2 usage error, unreadable input or internal error.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from dsql_lint.__about__ import __version__
from dsql_lint.check_options import config_command, ecosystem_options
from dsql_lint.fix_cli import FixUsageError, apply_fix_options, fix_options
from dsql_lint.live.options import live_options
from dsql_lint.migrations.cli_options import apply_migration_options, migration_options
from dsql_lint.speed_options import speed_options

if TYPE_CHECKING:
    from dsql_lint.rule import Rule

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2

CHECK_EPILOG = """\b
Examples:
  dsql-lint check migrations/              lint every *.sql file below migrations/
  dsql-lint check V3__add_index.sql        lint one file
  cat schema.sql | dsql-lint check -       lint standard input
  dsql-lint check --format json db/        machine-readable output
  dsql-lint check --select DSQL3 db/       only the index rules
  dsql-lint check --fix db/                apply safe fixes in place
  dsql-lint check --diff --unsafe-fixes db/  show every fix as a diff
  dsql-lint rules DSQL301                  explain a rule
"""


def _use_color(stream: TextIO, option: bool | None) -> bool:
    if option is not None:
        return option
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _split_list(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="dsql-lint", message="%(prog)s %(version)s")
def main() -> None:
    """dsql-lint: find what Amazon Aurora DSQL will reject in your SQL migrations, before you deploy."""


@main.command(epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "concise", "json", "sarif", "github", "gitlab", "junit"]),
    default=None,
    help="Output format (default: `output-format` from the configuration, else text).",
)
@click.option(
    "--preset",
    type=click.Choice(["recommended", "compat", "all"]),
    default=None,
    help="Rule set: compat (what DSQL rejects), recommended (compat + house rules), all.",
)
@click.option("--select", multiple=True, help="Only these rules (codes, prefixes like DSQL3, names, or ALL).")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, help="Rules to leave out.")
@click.option("--stdin-filename", default=None, help="The name to report for standard input.")
@click.option("--color/--no-color", default=None, help="Force colour on or off (default: on a terminal).")
@migration_options
@live_options(with_flag=True)
@fix_options
@ecosystem_options
@speed_options
def check(
    paths: tuple[str, ...],
    output_format: str | None,
    preset: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    stdin_filename: str | None,
    color: bool | None,
    live: bool,
    fix: bool,
    diff: bool,
    unsafe_fixes: bool,
    config_path: str | None,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: bool | None,
    fail_on: str | None,
    exit_zero: bool,
    output_file: str | None,
    statistics: bool,
    add_noqa: bool,
    format_of_migrations: str | None,
    include_down: bool | None,
    assume_in_transaction: bool | None,
    diff_base: str | None,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int,
    **live_settings: Any,
) -> None:
    """Lint SQL files, directories (searched for *.sql) or standard input (-)."""
    from dsql_lint.check_options import emit_report, exit_code, output_format_of, resolve_settings
    from dsql_lint.config import ConfigError, select_paths
    from dsql_lint.registry import RegistryError
    from dsql_lint.settings import SettingsError
    from dsql_lint.speed_options import lint_with, prepare

    try:
        config, settings = resolve_settings(
            list(paths) or ["."], config_path, stdin_filename,
            preset=preset, select=select, extend_select=extend_select, ignore=ignore,
            exclude=exclude, extend_exclude=extend_exclude, force_exclude=force_exclude, fail_on=fail_on,
        )  # fmt: skip
        output_format = output_format_of(output_format, config)
        apply_migration_options(settings, format_of_migrations, include_down, assume_in_transaction, diff_base)
        linter, cache = prepare(settings, no_cache, cache_dir)
    except (ConfigError, SettingsError, RegistryError) as exc:
        _fail(str(exc))
    files = select_paths(list(paths) or ["."], settings)
    from dsql_lint.migrations import PlanError

    _tune_garbage_collector()

    try:
        result = lint_with(files, linter, stdin_filename, cache, jobs, output_format)
    except PlanError as exc:
        _fail(str(exc))
    for failed in result.file_errors:
        click.echo(f"error: {failed.path}: {failed.error}", err=True)
    if add_noqa:
        _add_noqa(result, fix or diff)
    try:
        report_to, done = apply_fix_options(
            result, linter, list(paths) or ["."], fix=fix, diff=diff, unsafe=unsafe_fixes
        )
    except FixUsageError as exc:
        _fail(str(exc))
    if done is not None:
        sys.exit(done)
    if live:
        _check_live(
            result, {r.code for r in linter.rules}, live_settings, linter.settings.options.get("live"), linter.settings
        )
    out = report_to
    code = exit_code(result, settings, exit_zero)
    replay = (cache, code) if cache is not None and not (live or fix or diff or result.file_errors) else None
    emit_report(result, output_format, out, _use_color(out, color), output_file, statistics, replay)
    sys.exit(code)


def _tune_garbage_collector() -> None:
    """Collect cycles less often during a lint run (this process only; the Python API leaves it alone).

    A run allocates millions of short-lived tokens; with Python's default thresholds the cyclic
    collector keeps walking everything already loaded (modules, rules, settings) and costs
    about a tenth of a cold run. Freezing what is loaded now moves it out of the collector's
    way (forked workers inherit that), and a higher first threshold makes passes rarer. Cycles
    are still collected, so memory stays flat across files.
    """
    import gc

    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def _add_noqa(result: Any, fixing: bool) -> NoReturn:
    """``--add-noqa``: write a suppression for every finding, say how many, exit."""
    from dsql_lint.noqa import add_noqa_to_run

    if fixing:
        _fail("--add-noqa cannot be combined with --fix or --diff")
    added, changed = add_noqa_to_run(result)
    plural = ("s" if added != 1 else "", "s" if changed != 1 else "")
    click.echo(f"Added {added} noqa directive{plural[0]} to {changed} file{plural[1]}.")
    sys.exit(EXIT_ERROR if result.file_errors else EXIT_OK)


@main.command()
@click.argument("rule", required=False)
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
def rules(rule: str | None, output_format: str) -> None:
    """List every rule, or print the documentation page of one (by code or name).

    ``--format markdown`` prints the rule index that rules/README.md holds.
    """
    import json

    from dsql_lint.docs import page_text
    from dsql_lint.registry import RegistryError, all_rules, find_rule

    try:
        registered = all_rules()
        chosen = find_rule(rule) if rule else None
    except RegistryError as exc:
        _fail(str(exc))
    if rule:
        if chosen is None:
            _fail(f"unknown rule {rule!r}; `dsql-lint rules` lists them all")
        assert chosen is not None
        if output_format == "json":
            click.echo(json.dumps(_rule_json(chosen) | {"page": page_text(chosen)}, indent=2))
        else:
            click.echo(page_text(chosen))
        return
    if output_format == "json":
        click.echo(json.dumps([_rule_json(r) for r in registered], indent=2))
        return
    if output_format == "markdown":
        from dsql_lint.docs import rules_index

        click.echo(rules_index(registered), nl=False)
        return
    width = max(len(r.name) for r in registered)
    for r in registered:
        flags = "" if r.default_enabled else " (off by default)"
        click.echo(f"{r.code}  {r.name.ljust(width)}  {r.severity.value:<7}  {r.summary}{flags}")


def _rule_json(rule: type[Rule]) -> dict[str, object]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "family": rule.family(),
        "summary": rule.summary,
        "fixable": rule.fix_safety.value if rule.fix_safety else None,
        "default_enabled": rule.default_enabled,
        "url": rule.doc_url(),
    }


def _check_live(
    result: Any, enabled: set[str], options: dict[str, Any], table: Any = None, settings: Any = None
) -> None:
    """Add the cluster's verdicts (``--live``); any failure is one sentence and exit 2.

    ``table`` is the configuration's ``live`` table when the config loader found one.
    """
    from dsql_lint.live.errors import LiveError, redact

    try:
        from dsql_lint.live.check import check_run

        check_run(result, options, enabled, table if isinstance(table, dict) else None, settings)
    except LiveError as exc:
        _fail(str(exc))
    except Exception as exc:  # never a traceback, never a token
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        _fail(f"live mode failed: {type(exc).__name__}: {redact(first)}")


@main.command()
@live_options(with_flag=False)
def doctor(**options: Any) -> None:
    """Check the DSQL connection recipe step by step (settings, credentials, token, TLS, connection, grants)."""
    from dsql_lint.live.doctor import diagnose, render
    from dsql_lint.live.errors import redact

    try:
        steps = diagnose(options)
    except Exception as exc:  # never a traceback, never a token
        _fail(f"doctor failed: {type(exc).__name__}: {redact(str(exc))}")
    click.echo(render(steps))
    sys.exit(EXIT_ERROR if any(step.status == "fail" for step in steps) else EXIT_OK)


main.add_command(config_command)

if __name__ == "__main__":  # pragma: no cover
    main()
