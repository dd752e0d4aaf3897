"""DSQL550 tool-version-row-in-ddl-transaction: the migration tool's own INSERT joins the DDL transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.migrations.files import TOOL_NAMES
from dsql_lint.migrations.shape import ToolTransaction
from dsql_lint.model import Diagnostic, Kind, Severity, Transaction
from dsql_lint.rules.api import Context, TransactionRule

_ADVICE = {
    "goose": "add `-- +goose NO TRANSACTION` at the top of the file so each statement commits on its own",
    "dbmate": "write `-- migrate:up transaction:false` so dbmate records the version in a transaction of its own; "
    "the section is still sent as one string, so keep one DDL statement per migration",
    "supabase": "the Supabase CLI always sends its history insert in the file's batch: wrap the DDL in "
    "`BEGIN; ... COMMIT;` so the insert runs after it in a transaction of its own",
    "diesel": "add `run_in_transaction = false` to the migration's metadata.toml; the file is still sent as "
    "one string, so keep one DDL statement per migration",
    "sqlx": "make `-- no-transaction` the first line of the file; it is still sent as one string, "
    "so keep one DDL statement per migration",
}


class ToolVersionRowInDdlTransaction(TransactionRule):
    """Flags DDL in a transaction in which the migration tool also inserts its version row.

    goose, dbmate, the Supabase CLI, Diesel and sqlx do this (see ``dsql_lint.migrations.shape``).
    """

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
            message=f"{TOOL_NAMES.get(txn.tool, txn.tool)} inserts into its `{txn.records_version}` table in the "
            f"same transaction as this {ddl.tag}, and DSQL rejects DDL and DML in one transaction; {txn.reason}",
            help=_ADVICE.get(txn.tool, self.help),
        )
