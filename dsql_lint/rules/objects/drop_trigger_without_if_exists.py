"""DSQL232 drop-trigger-without-if-exists: DSQL only accepts DROP TRIGGER IF EXISTS name ON table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import qualified_name_end
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import object_name, tag_end


class DropTriggerWithoutIfExists(StatementRule):
    """Flags DROP TRIGGER without IF EXISTS or without ``ON table``.

    The only form DSQL accepts is ``DROP TRIGGER IF EXISTS n ON t``; without ``ON`` the
    statement is not even PostgreSQL.
    """

    code: ClassVar[str] = "DSQL232"
    name: ClassVar[str] = "drop-trigger-without-if-exists"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DROP TRIGGER must be written `DROP TRIGGER IF EXISTS name ON table` in DSQL"
    help: ClassVar[str] = (
        "write `DROP TRIGGER IF EXISTS name ON table` (a no-op on DSQL, which has no triggers), or remove the statement"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"DROP TRIGGER"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "DROP TRIGGER":
            return
        end = tag_end(stmt)
        if end == -1:
            return
        if stmt.find("IF", "EXISTS", start=end + 1, stop=end + 3) == end + 1:
            name_end = qualified_name_end(stmt, end + 3)
            if name_end > end + 3 and stmt.find("ON", start=name_end, depth=0) == -1:
                yield self.report(
                    stmt,
                    stmt.tokens[0],
                    stmt.tokens[name_end - 1],
                    message=f"DROP TRIGGER `{object_name(stmt, end)}` has no `ON table`; DSQL (like PostgreSQL) "
                    "only accepts `DROP TRIGGER IF EXISTS name ON table`",
                    help="add `ON <table>` naming the trigger's table, or remove the statement (DSQL has no triggers)",
                )
            return
        yield self.report(
            stmt,
            stmt.tokens[0],
            stmt.tokens[end],
            message=f"DROP TRIGGER `{object_name(stmt, end)}` has no IF EXISTS; DSQL only accepts "
            "`DROP TRIGGER IF EXISTS name ON table`",
        )
