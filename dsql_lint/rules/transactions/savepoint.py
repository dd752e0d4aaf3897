"""DSQL503 savepoint: DSQL has no savepoints (SAVEPOINT, RELEASE, ROLLBACK TO)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class Savepoint(StatementRule):
    """Flags ``SAVEPOINT s``, ``RELEASE [SAVEPOINT] s`` and ``ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] s``."""

    code: ClassVar[str] = "DSQL503"
    name: ClassVar[str] = "savepoint"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "SAVEPOINT, RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT are not supported in DSQL"
    help: ClassVar[str] = (
        "remove the savepoint; keep transactions small and retry the whole transaction on error "
        "(frameworks: turn savepoints off, e.g. Django's uses_savepoints, SQLAlchemy's begin_nested)"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"SAVEPOINT", "RELEASE", "ROLLBACK TO"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        tag = stmt.tag
        if tag not in ("SAVEPOINT", "RELEASE", "ROLLBACK TO") or not stmt.tokens:
            return
        last = 0
        if tag == "RELEASE" and len(stmt.tokens) > 1 and stmt.tokens[1].is_word("SAVEPOINT"):
            last = 1
        elif tag == "ROLLBACK TO":
            to = stmt.find("TO", stop=4)
            last = to + 1 if to + 1 < len(stmt.tokens) and stmt.tokens[to + 1].is_word("SAVEPOINT") else to
        words = " ".join(t.upper for t in stmt.tokens[: last + 1])
        yield self.report(
            stmt,
            stmt.tokens[0],
            stmt.tokens[last],
            message=f"`{words}` is not supported by DSQL: there are no savepoints",
        )
