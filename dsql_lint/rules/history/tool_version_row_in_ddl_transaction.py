"""DSQL550 tool-version-row-in-ddl-transaction: the migration tool's own INSERT joins the DDL transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.migrations.shape import ToolTransaction
from dsql_lint.model import Diagnostic, Kind, Severity, Transaction
from dsql_lint.rule import Context, TransactionRule

_ADVICE = {
    "goose": "add `-- +goose NO TRANSACTION` at the top of the file so each statement commits on its own",
    "dbmate": "move each DDL statement to its own migration file; dbmate records the version in the same transaction",
}


class ToolVersionRowInDdlTransaction(TransactionRule):
    """Flags DDL in a transaction in which the migration tool also inserts its version row (goose, dbmate)."""

    code: ClassVar[str] = "DSQL550"
    name: ClassVar[str] = "tool-version-row-in-ddl-transaction"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "The migration tool records its version with an INSERT in the same transaction as this DDL"
    help: ClassVar[str] = "run the DDL outside the tool's transaction"

    def check(self, txn: Transaction, ctx: Context) -> Iterator[Diagnostic]:
        if not isinstance(txn, ToolTransaction) or not txn.records_version:
            return
        ddl = next((s for s in txn.body if s.kind is Kind.DDL), None)
        if ddl is None:
            return
        yield self.report(
            ddl,
            ddl.tokens[0],
            message=f"{txn.tool} inserts into its `{txn.records_version}` table in the same transaction as this "
            f"{ddl.tag}, and DSQL rejects DDL and DML in one transaction; {txn.reason}",
            help=_ADVICE.get(txn.tool, self.help),
        )
