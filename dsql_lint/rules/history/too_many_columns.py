"""DSQL821 too-many-columns-in-table: at most 255 columns per table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule

LIMIT = 255


class TooManyColumnsInTable(FolderRule):
    """Flags the CREATE TABLE or ADD COLUMN that takes a table past 255 columns, counted across migrations."""

    code: ClassVar[str] = "DSQL821"
    name: ClassVar[str] = "too-many-columns-in-table"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A table may have at most 255 columns"
    help: ClassVar[str] = (
        "move rarely used columns to a second table that shares the primary key, or use one jsonb column"
    )

    kinds: ClassVar[frozenset[str]] = frozenset({"create_table", "add_column"})

    # A plain function, not a generator: it is called for every change of its kinds.
    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        if change.kind not in ("create_table", "add_column"):
            return ()
        table = model.tables.get(change.table)
        if table is None or len(table.columns) <= LIMIT:
            return ()
        return self.at_change(
            entry,
            change,
            message=f"table `{table.name}` has {len(table.columns)} columns after this statement "
            f"(counting every column the migrations added so far); DSQL allows at most {LIMIT}",
        )
