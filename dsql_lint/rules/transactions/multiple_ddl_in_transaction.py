"""DSQL501 multiple-ddl-in-transaction: one DDL statement per transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, FixSafety, Kind, Severity, Transaction
from dsql_lint.rules.api import Context, TransactionRule
from dsql_lint.rules.transactions._split import MANAGED_HELP, split_before

_DDL = Kind.DDL  # a module constant: ``Kind.DDL`` costs a metaclass attribute lookup per read


class MultipleDdlInTransaction(TransactionRule):
    """Flags every DDL statement after the first one in the same transaction."""

    code: ClassVar[str] = "DSQL501"
    name: ClassVar[str] = "multiple-ddl-in-transaction"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A transaction may contain only one DDL statement"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE
    help: ClassVar[str] = "commit after each DDL statement: give every CREATE, ALTER or DROP its own transaction"

    def check(self, txn: Transaction, ctx: Context) -> Iterator[Diagnostic]:
        first = None
        for stmt in txn.body:
            if stmt.kind is not _DDL:
                continue
            if first is None:
                first = stmt
                continue
            yield self.report(
                stmt,
                stmt.tokens[0],
                message=f"second DDL statement ({stmt.tag}) in a transaction that already ran "
                f"{first.tag} on line {first.line}; {txn.reason}",
                help=MANAGED_HELP if txn.managed else None,
                fix=split_before(txn, stmt, f"Commit before this {stmt.tag} and run it in a transaction of its own"),
            )
