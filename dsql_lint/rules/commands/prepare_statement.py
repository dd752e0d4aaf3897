"""DSQL607 prepare-statement: SQL-level PREPARE is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_TAGS = frozenset({"PREPARE"})


class PrepareStatement(StatementRule):
    """Flags SQL-level ``PREPARE name AS ...``. ``PREPARE TRANSACTION`` is a different statement and is not flagged."""

    code: ClassVar[str] = "DSQL607"
    name: ClassVar[str] = "prepare-statement"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "SQL-level PREPARE is not supported in DSQL"
    help: ClassVar[str] = (
        "remove the PREPARE and run the statement directly; drivers' protocol-level prepared statements keep working"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = _TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _TAGS or not stmt.tokens:
            return
        tok = stmt.tokens[0]
        subject = stmt.tokens[1].text if len(stmt.tokens) > 1 else ""
        yield self.report(
            stmt,
            tok,
            message=f"`PREPARE {subject}` is not supported by DSQL; prepare statements through the driver instead",
        )
