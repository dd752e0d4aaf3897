"""DSQL826 insert-select-row-limit: INSERT ... SELECT FROM may copy more than 3,000 rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule


class InsertSelectRowLimit(FolderRule):
    """Flags INSERT ... SELECT ... FROM: the number of rows depends on the data, and over 3,000 fail."""

    code: ClassVar[str] = "DSQL826"
    name: ClassVar[str] = "insert-select-row-limit"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "INSERT ... SELECT may exceed the 3,000-row transaction limit"
    help: ClassVar[str] = "copy the rows in batches of at most 3,000 (WHERE on a key range), one transaction each"

    kinds: ClassVar[frozenset[str]] = frozenset({"insert_select"})

    def visit(self, entry: FolderEntry, change: Change, _model: SchemaModel, ctx: Context) -> Iterator[Diagnostic]:
        if change.kind != "insert_select":
            return
        yield self.report(
            entry.source,
            change.start,
            change.end,
            message=f"INSERT into `{change.table}` copies as many rows as the SELECT returns; "
            "on real data that can exceed DSQL's 3,000 rows per transaction",
        )
