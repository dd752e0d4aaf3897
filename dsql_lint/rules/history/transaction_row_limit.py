"""DSQL824 transaction-row-limit: a transaction may insert, update or delete at most 3,000 rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule

LIMIT = 3000


class TransactionRowLimit(FolderRule):
    """Flags the INSERT ... VALUES that takes a transaction past 3,000 rows, counting the rows written."""

    code: ClassVar[str] = "DSQL824"
    name: ClassVar[str] = "transaction-row-limit"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A transaction may insert, update or delete at most 3,000 rows"
    help: ClassVar[str] = "split the rows into batches of at most 3,000, each committed in its own transaction"

    kinds: ClassVar[frozenset[str]] = frozenset({"insert_values"})

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        if change.txn < 0:
            return ()
        notes: dict[str, dict[int, int]] = model.notes_of(self.code, dict)  # rows per transaction, this file
        totals: dict[int, int] = notes.get(entry.path) or {}
        if not totals:
            notes.clear()  # a new file: the transactions of the one before are over
            notes[entry.path] = totals
        before = totals.get(change.txn, 0)
        totals[change.txn] = after = before + change.rows
        if before <= LIMIT < after:
            txn = entry.summary.transactions[change.txn]
            why = "" if txn.autocommit else f"; {txn.reason}"
            counted = f"{after:,} rows" if before == 0 else f"{after:,} rows in its transaction"
            return self.at_change(
                entry,
                change,
                message=f"this INSERT into `{change.table}` brings the transaction to {counted}; "
                f"DSQL allows at most {LIMIT:,} rows per transaction{why}",
            )
        return ()  # a plain function, not a generator: it is called for every multi-row INSERT
