"""DSQL202 temporary-table: DSQL has no temporary tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import modifier_indexes, object_name, tag_end


class TemporaryTable(StatementRule):
    """Flags CREATE [GLOBAL|LOCAL] TEMP|TEMPORARY TABLE (also with AS query)."""

    code: ClassVar[str] = "DSQL202"
    name: ClassVar[str] = "temporary-table"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Temporary tables are not supported by DSQL"
    help: ClassVar[str] = (
        "create a regular table (for example with a session-specific name or a session id column) and "
        "drop it when done, or keep the intermediate rows in a CTE or in the application"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The flagged modifier words.
    words: ClassVar[frozenset[str] | None] = frozenset({"TEMP", "TEMPORARY", "GLOBAL", "LOCAL"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "CREATE TABLE":
            return
        temp = [i for i in modifier_indexes(stmt) if stmt.tokens[i].is_word("TEMP", "TEMPORARY", "GLOBAL", "LOCAL")]
        if not temp:
            return
        yield self.report(
            stmt,
            stmt.tokens[temp[0]],
            stmt.tokens[temp[-1]],
            message=f"table `{object_name(stmt, tag_end(stmt))}` is declared temporary; DSQL answers "
            "`TEMPORARY or TEMP table not supported for CREATE TABLE`",
        )
