"""DSQL502 mixed-ddl-dml-in-transaction: DDL and DML cannot share a transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, FixSafety, Kind, Severity, Statement, Transaction
from dsql_lint.rules.api import Context, TransactionRule
from dsql_lint.rules.transactions._split import MANAGED_HELP, split_before

# Enum members as module constants: ``Kind.DDL`` costs a metaclass attribute lookup per read.
_DDL = Kind.DDL
_DML = Kind.DML
_DDL_OR_DML = (_DDL, _DML)


class MixedDdlDmlInTransaction(TransactionRule):
    """Flags the first statement that mixes DDL and DML (INSERT/UPDATE/DELETE/MERGE/COPY) in one transaction."""

    code: ClassVar[str] = "DSQL502"
    name: ClassVar[str] = "mixed-ddl-dml-in-transaction"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DDL and DML cannot run in the same transaction"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE
    help: ClassVar[str] = "commit the schema change first, then change the data in a separate transaction"

    def check(self, txn: Transaction, ctx: Context) -> Iterator[Diagnostic]:
        first: dict[Kind, Statement] = {}
        for stmt in txn.body:
            kind = stmt.kind
            if kind not in _DDL_OR_DML:
                continue
            other_kind = _DML if kind is _DDL else _DDL
            other = first.get(other_kind)
            if other is not None:
                yield self.report(
                    stmt,
                    stmt.tokens[0],
                    message=f"{stmt.kind.value.upper()} statement ({stmt.tag}) in a transaction that already ran "
                    f"{other.kind.value.upper()} ({other.tag}) on line {other.line}; {txn.reason}",
                    help=MANAGED_HELP if txn.managed else None,
                    fix=split_before(
                        txn, stmt, f"Commit before this {stmt.kind.value.upper()} and run it in a new transaction"
                    ),
                )
                return
            first.setdefault(stmt.kind, stmt)
