"""DSQL612 locking-clause: DSQL supports only FOR UPDATE and FOR KEY SHARE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_CLAUSES = (("FOR", "NO", "KEY", "UPDATE"), ("FOR", "SHARE"))


class LockingClause(StatementRule):
    """Flags ``FOR SHARE`` and ``FOR NO KEY UPDATE`` on any SELECT, subqueries and CTEs included."""

    code: ClassVar[str] = "DSQL612"
    name: ClassVar[str] = "locking-clause"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "SELECT ... FOR SHARE / FOR NO KEY UPDATE is not supported in DSQL"
    help: ClassVar[str] = (
        "use FOR UPDATE (or FOR KEY SHARE to protect a referenced key); DSQL checks both for conflicts at COMMIT"
    )

    #: FOR SHARE needs SHARE, FOR NO KEY UPDATE needs NO.
    words: ClassVar[frozenset[str] | None] = frozenset({"SHARE", "NO"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if not stmt.has("SELECT"):
            return
        for clause in _CLAUSES:
            start = 0
            while True:
                at = stmt.find(*clause, start=start)
                if at == -1:
                    break
                last = at + len(clause) - 1
                words = " ".join(clause)
                yield self.report(
                    stmt,
                    stmt.tokens[at],
                    stmt.tokens[last],
                    message=f"locking clause `{words}` is not supported by DSQL; only FOR UPDATE and FOR KEY SHARE are",
                )
                start = last + 1
