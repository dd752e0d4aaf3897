"""The ``dsql-lint check`` options of the migration layer, kept here so cli.py only wires them in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from dsql_lint.migrations.files import FORMATS

F = TypeVar("F", bound=Callable[..., Any])


def migration_options(func: F) -> F:
    """Add ``--format-of-migrations``, ``--include-down``, ``--assume-in-transaction`` and ``--diff-base``."""
    options = [
        click.option(
            "--format-of-migrations",
            "format_of_migrations",
            type=click.Choice(list(FORMATS)),
            default=None,
            help="Migration tool of the folders (default: auto, recognised folder by folder).",
        ),
        click.option(
            "--include-down/--no-include-down",
            "include_down",
            default=None,
            help="Also lint down/undo/revert files and sections.",
        ),
        click.option(
            "--assume-in-transaction/--no-assume-in-transaction",
            "assume_in_transaction",
            default=None,
            help="Each plain/psql file is sent as one multi-statement string (psql -c, a driver's simple "
            "query): DSQL runs it as one transaction.",
        ),
        click.option(
            "--aws-adapter/--no-aws-adapter",
            "aws_adapter",
            default=None,
            help="The tool runs through AWS's DSQL adapter (Flyway's aurora-dsql-flyway-support: one statement "
            "at a time); config key: aws-adapter = true.",
        ),
        click.option(
            "--diff-base",
            "diff_base",
            metavar="REF",
            default=None,
            help="Report only migration files added or changed since git REF (earlier files still build the schema).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def apply_migration_options(
    settings: Any,
    format_of_migrations: str | None,
    include_down: bool | None,
    assume_in_transaction: bool | None,
    diff_base: str | None,
    aws_adapter: bool | None = None,
) -> None:
    """Copy the options given on the command line onto ``settings`` (a config file's values stay otherwise)."""
    if format_of_migrations is not None:
        settings.migrations = format_of_migrations
    if include_down is not None:
        settings.include_down = include_down
    if assume_in_transaction is not None:
        settings.assume_in_transaction = assume_in_transaction
    if diff_base is not None:
        settings.diff_base = diff_base
    if aws_adapter is not None:
        settings.aws_adapter = aws_adapter
