"""What the migration options of ``dsql-lint check`` (declared in dsql_lint/cli/check_spec.py) do to the settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


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
