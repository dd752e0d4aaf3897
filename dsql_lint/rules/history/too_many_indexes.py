"""DSQL820 too-many-indexes-on-table: at most 24 indexes per table, key constraints included."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule

LIMIT = 24


class TooManyIndexesOnTable(FolderRule):
    """Flags the index (or PRIMARY KEY / UNIQUE constraint) that takes a table past 24 indexes."""

    code: ClassVar[str] = "DSQL820"
    name: ClassVar[str] = "too-many-indexes-on-table"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A table may have at most 24 indexes, counting its primary key and UNIQUE constraints"
    help: ClassVar[str] = "drop an index the queries no longer need before adding this one, or combine two indexes"

    kinds: ClassVar[frozenset[str]] = frozenset({"create_index", "add_unique"})

    # A plain function, not a generator: it is called for every change of its kinds.
    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        if change.kind not in ("create_index", "add_unique") or not change.table:
            return ()
        table = model.tables.get(change.table)
        if table is None or table.index_count <= LIMIT:
            return ()
        what = f"index `{change.name}`" if change.kind == "create_index" else "this key constraint"
        return self.at_change(
            entry,
            change,
            message=f"{what} is index number {table.index_count} on table `{table.name}` after replaying the "
            f"migrations in order; DSQL allows at most {LIMIT} per table (primary key and UNIQUE included)",
        )
