"""DSQL823 too-many-tables: at most 1,000 tables per cluster."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule

LIMIT = 1000


class TooManyTables(FolderRule):
    """Flags every CREATE TABLE beyond the 1,000th table, counted across the migrations in order."""

    code: ClassVar[str] = "DSQL823"
    name: ClassVar[str] = "too-many-tables"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A cluster may have at most 1,000 tables"
    help: ClassVar[str] = "drop tables that are no longer used, or store similar data in one table with a type column"

    kinds: ClassVar[frozenset[str]] = frozenset({"create_table"})

    # A plain function, not a generator: it is called for every change of its kinds.
    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        if change.kind != "create_table":
            return ()
        count = len(model.tables)
        if count <= LIMIT:
            return ()
        return self.at_change(
            entry,
            change,
            message=f"table `{change.name}` is table number {count} created by the migrations; "
            f"DSQL allows at most {LIMIT:,} tables",
        )
