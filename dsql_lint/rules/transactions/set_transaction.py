"""DSQL505 set-transaction: DSQL rejects every SET TRANSACTION and SET SESSION CHARACTERISTICS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class SetTransaction(StatementRule):
    """Flags ``SET TRANSACTION ...`` and ``SET SESSION CHARACTERISTICS AS TRANSACTION ...`` in any form,
    even ``ISOLATION LEVEL REPEATABLE READ`` or ``READ ONLY``."""

    code: ClassVar[str] = "DSQL505"
    name: ClassVar[str] = "set-transaction"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "SET TRANSACTION is not supported in DSQL, whatever it sets"
    help: ClassVar[str] = (
        "remove the statement; for a read-only transaction write BEGIN READ ONLY, and leave the isolation "
        "level alone (it is always REPEATABLE READ)"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"SET TRANSACTION", "SET SESSION CHARACTERISTICS"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag == "SET TRANSACTION":
            last = 1
        elif stmt.tag == "SET SESSION CHARACTERISTICS":
            last = stmt.find("TRANSACTION", stop=6)
            if last == -1:
                last = 2
        else:
            return
        words = " ".join(t.upper for t in stmt.tokens[: last + 1])
        yield self.report(
            stmt,
            stmt.tokens[0],
            stmt.tokens[last],
            message=f"`{words}` is not supported by DSQL, whatever the transaction mode",
        )
