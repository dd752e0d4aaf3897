"""DSQL506 set-isolation-parameter: DSQL rejects setting transaction_isolation parameters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_PARAMETERS = frozenset({"default_transaction_isolation", "transaction_isolation"})


class SetIsolationParameter(StatementRule):
    """Flags ``SET [SESSION|LOCAL] default_transaction_isolation ...`` and ``SET transaction_isolation ...``,
    whatever the value."""

    code: ClassVar[str] = "DSQL506"
    name: ClassVar[str] = "set-isolation-parameter"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Setting default_transaction_isolation or transaction_isolation is not supported in DSQL"
    help: ClassVar[str] = (
        "remove the statement; DSQL runs every transaction at REPEATABLE READ and cannot be told otherwise"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"SET"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "SET" or len(stmt.tokens) < 2:
            return
        i = 1
        if stmt.tokens[i].is_word("SESSION", "LOCAL"):
            i += 1
        if i >= len(stmt.tokens):
            return
        param = stmt.tokens[i]
        if param.identifier not in _PARAMETERS:
            return
        yield self.report(
            stmt,
            param,
            message=f"setting configuration parameter `{param.identifier}` is not supported by DSQL",
        )
