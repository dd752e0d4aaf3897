"""DSQL902 statement-outside-transaction-block: every DDL and DML statement runs inside BEGIN ... END."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix, insert_after, insert_before
from dsql_lint.model import Diagnostic, Fix, FixSafety, Kind, Severity, Statement, Transaction
from dsql_lint.rules.api import Context, TransactionRule
from dsql_lint.rules.house._common import house_prefix

PREFIX = house_prefix("6: each DDL and DML statement in a BEGIN/END block")

_CHECKED = (Kind.DDL, Kind.DML)


def _indent(stmt: Statement) -> str:
    """The horizontal whitespace before the statement's first token on its line."""
    prefix = stmt.source.line_prefix(stmt.tokens[0].start)
    return prefix if prefix.strip() == "" else ""


def wrap_fix(stmt: Statement) -> Fix:
    """Put ``BEGIN;`` before the statement and ``COMMIT;`` after it, on lines of their own."""
    indent = _indent(stmt)
    first = stmt.tokens[0]
    begin = insert_before(first, f"BEGIN;\n{indent}" if indent or _starts_line(stmt) else "BEGIN; ")
    if stmt.terminator is not None:
        commit = insert_after(stmt.terminator, f"\n{indent}COMMIT;")
    else:
        commit = insert_after(stmt.tokens[-1], f";\n{indent}COMMIT;")
    # Unsafe (issue 6): a runner that already wraps the file (psql --single-transaction, a tool
    # dsql-lint does not recognise) would see a nested BEGIN and an early COMMIT.
    return fix("Wrap the statement in BEGIN; ... COMMIT;", FixSafety.UNSAFE, begin, commit)


def _starts_line(stmt: Statement) -> bool:
    return stmt.source.line_prefix(stmt.tokens[0].start) == ""


class StatementOutsideTransactionBlock(TransactionRule):
    """Flags DDL and DML statements that run in autocommit, outside any transaction block.

    A transaction that a migration tool opens itself (``Transaction.managed``)
    satisfies the requirement: the tool sends BEGIN and COMMIT around the file.
    Several DML statements in one block are not findings; DSQL501 and DSQL502
    report the combinations DSQL rejects (two DDL statements, DDL with DML).
    """

    code: ClassVar[str] = "DSQL902"
    name: ClassVar[str] = "statement-outside-transaction-block"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "House rule: every DDL and DML statement runs in an explicit BEGIN ... COMMIT/END block"
    help: ClassVar[str] = "put `BEGIN;` before the statement and `COMMIT;` (or `END;`) after it"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    def check(self, txn: Transaction, ctx: Context) -> Iterator[Diagnostic]:
        if not txn.is_autocommit:
            return
        for stmt in txn.body:
            if stmt.kind not in _CHECKED or not stmt.tokens:
                continue
            what = "DDL" if stmt.kind is Kind.DDL else "DML"
            yield self.report(
                stmt,
                stmt.tokens[0],
                message=f"{PREFIX}{what} statement {stmt.tag} runs in autocommit, outside a BEGIN ... COMMIT block",
                fix=None if stmt.tag == "COPY" else wrap_fix(stmt),  # COPY's data lines follow it
            )
