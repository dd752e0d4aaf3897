"""DSQL232 drop-trigger-without-if-exists: DSQL only accepts DROP TRIGGER IF EXISTS name ON table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rule import Context, StatementRule
from dsql_lint.rules.objects._common import object_name, tag_end


class DropTriggerWithoutIfExists(StatementRule):
    """Flags DROP TRIGGER without IF EXISTS (the only form DSQL accepts is ``DROP TRIGGER IF EXISTS n ON t``)."""

    code: ClassVar[str] = "DSQL232"
    name: ClassVar[str] = "drop-trigger-without-if-exists"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DROP TRIGGER must say IF EXISTS in DSQL"
    help: ClassVar[str] = (
        "write `DROP TRIGGER IF EXISTS name ON table` (a no-op on DSQL, which has no triggers), or remove the statement"
    )

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "DROP TRIGGER":
            return
        end = tag_end(stmt)
        if end == -1 or stmt.find("IF", "EXISTS", start=end + 1, stop=end + 3) == end + 1:
            return
        yield self.report(
            stmt,
            stmt.tokens[0],
            stmt.tokens[end],
            message=f"DROP TRIGGER `{object_name(stmt, end)}` has no IF EXISTS; DSQL only accepts "
            "`DROP TRIGGER IF EXISTS name ON table`",
        )
