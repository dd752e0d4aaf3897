"""The ``dsql-lint`` command line: wires sources, rules and reporters together.

Exit codes: 0 no findings, 1 findings, 2 usage error, unreadable input or internal error.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from dsql_lint.__about__ import __version__
from dsql_lint.cli.check_spec import click_options, help_sections

if TYPE_CHECKING:
    from dsql_lint.rules.api import Rule

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


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _split_list(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


#: ``check --help`` in sections, as a reader looks for an option: (title, parameter names).
CHECK_HELP_SECTIONS = help_sections()


class _SectionedCommand(click.Command):
    """A command whose ``--help`` lists its options in :data:`CHECK_HELP_SECTIONS`, not in one block."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows: dict[str, tuple[str, str]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None and param.name is not None and isinstance(param, click.Option):
                rows[param.name] = record
        placed: set[str] = set()
        for title, names in CHECK_HELP_SECTIONS:
            section = [rows[name] for name in names if name in rows]
            placed.update(names)
            if section:
                with formatter.section(title):
                    formatter.write_dl(section)
        rest = [record for name, record in rows.items() if name not in placed]
        if rest:
            with formatter.section("Other options"):
                formatter.write_dl(rest)


class _PathsMeanCheck(click.Group):
    """A group whose first argument, when it is not a command, is a path to ``check``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from dsql_lint.cli.fastpath import normalize_argv

        return super().parse_args(ctx, normalize_argv(list(args)))


@click.group(cls=_PathsMeanCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="dsql-lint", message="%(prog)s %(version)s")
def main() -> None:
    """dsql-lint: find what Amazon Aurora DSQL will reject in your SQL migrations, before you deploy."""


@main.command(cls=_SectionedCommand, epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, type=click.Path())
@click_options()  # every option, declared once in dsql_lint/cli/check_spec.py
def check(**options: Any) -> None:
    """Lint SQL files, directories (searched for *.sql) or standard input (-)."""
    from dsql_lint.cli.check_command import run_check  # shared with dsql_lint.cli.quickcheck (no click)

    run_check(**options)


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

    from dsql_lint.rules.docs import page_text
    from dsql_lint.rules.registry import RegistryError, all_rules, find_rule

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
        from dsql_lint.rules.docs import rules_index

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


@main.command()
@click_options(live_only=True, with_live_flag=False)
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


@main.command("config")
@click.argument("path", required=False, default=".", type=click.Path())
@click.option("--config", "config_path", default=None, type=click.Path(dir_okay=False), help="Configuration file.")
@click.option("--format", "output_format", type=click.Choice(["toml", "json"]), default="toml", show_default=True)
def config_command(path: str, config_path: str | None, output_format: str) -> None:
    """Print the configuration that applies to PATH: the file found, every setting, the rules that run."""
    import json

    from dsql_lint.cli.check_options import resolve_settings
    from dsql_lint.config.file import ConfigError, describe, to_toml
    from dsql_lint.config.settings import SettingsError
    from dsql_lint.migrations import PlanError
    from dsql_lint.rules.registry import RegistryError

    try:
        config, settings = resolve_settings(
            [path], config_path, None, preset=None, select=(), extend_select=(), ignore=()
        )
        described = describe(config, settings)
        described["migration-tools"] = _migration_tools(path, settings)
    except (ConfigError, SettingsError, RegistryError, PlanError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if output_format == "json":
        click.echo(json.dumps(described, indent=2))
        return
    source = described.pop("config-file")
    click.echo(f"# configuration file: {source or 'none found (defaults)'}")
    click.echo(to_toml(described), nl=False)


def _migration_tools(path: str, settings: Any) -> list[str]:
    """``folder: tool (N files)`` for each migration history under ``path``, as ``check`` would lint it."""
    from dsql_lint.migrations import build_plan
    from dsql_lint.migrations.files import TOOL_NAMES

    if not os.path.exists(path):
        return []
    counts: dict[tuple[str, str], int] = {}
    for f in build_plan([path], settings.migrations, settings.include_down).files:
        key = (f.group or ".", f.format)
        counts[key] = counts.get(key, 0) + 1
    return [
        f"{folder}: {TOOL_NAMES.get(fmt, fmt)} ({n} file{'s' if n != 1 else ''})" for (folder, fmt), n in counts.items()
    ]


if __name__ == "__main__":  # pragma: no cover
    main()
