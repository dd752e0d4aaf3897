"""DSQL824 transaction-row-limit: a transaction may insert, update or delete at most 3,000 rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.migrations.folder import MigrationFolder
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rule import Context, FolderRule

LIMIT = 3000


class TransactionRowLimit(FolderRule):
    """Flags the INSERT ... VALUES that takes a transaction past 3,000 rows, counting the rows written."""

    code: ClassVar[str] = "DSQL824"
    name: ClassVar[str] = "transaction-row-limit"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A transaction may insert, update or delete at most 3,000 rows"
    help: ClassVar[str] = "split the rows into batches of at most 3,000, each committed in its own transaction"

    def check(self, folder: MigrationFolder, ctx: Context) -> Iterator[Diagnostic]:
        for entry in folder.entries:
            totals: dict[int, int] = {}
            for change in entry.summary.changes:
                if change.kind != "insert_values" or change.txn < 0:
                    continue
                before = totals.get(change.txn, 0)
                totals[change.txn] = after = before + change.rows
                if before <= LIMIT < after:
                    txn = entry.summary.transactions[change.txn]
                    why = "" if txn.autocommit else f"; {txn.reason}"
                    counted = f"{after:,} rows" if before == 0 else f"{after:,} rows in its transaction"
                    yield self.report(
                        entry.source,
                        change.start,
                        change.end,
                        message=f"this INSERT into `{change.table}` brings the transaction to {counted}; "
                        f"DSQL allows at most {LIMIT:,} rows per transaction{why}",
                    )
