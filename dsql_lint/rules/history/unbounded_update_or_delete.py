"""DSQL825 update-or-delete-without-where: may touch more than 3,000 rows on real data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule


class UpdateOrDeleteWithoutWhere(FolderRule):
    """Flags UPDATE and DELETE without WHERE: they touch every row, and more than 3,000 rows fail."""

    code: ClassVar[str] = "DSQL825"
    name: ClassVar[str] = "update-or-delete-without-where"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "UPDATE or DELETE without WHERE may exceed the 3,000-row transaction limit"
    help: ClassVar[str] = "change the rows in batches of at most 3,000 (WHERE on a key range), one transaction each"

    kinds: ClassVar[frozenset[str]] = frozenset({"update_all", "delete_all"})

    def visit(self, entry: FolderEntry, change: Change, _model: SchemaModel, ctx: Context) -> Iterator[Diagnostic]:
        if change.kind not in ("update_all", "delete_all"):
            return
        verb = "UPDATE" if change.kind == "update_all" else "DELETE"
        yield self.report(
            entry.source,
            change.start,
            change.end,
            message=f"{verb} of every row of `{change.table}` (no WHERE) fails on DSQL as soon as the table "
            "holds more than 3,000 rows",
        )
