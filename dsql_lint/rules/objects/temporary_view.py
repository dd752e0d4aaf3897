"""DSQL204 temporary-view: DSQL has no temporary views."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import modifier_indexes, object_name, tag_end


class TemporaryView(StatementRule):
    """Flags CREATE [OR REPLACE] TEMP|TEMPORARY [RECURSIVE] VIEW."""

    code: ClassVar[str] = "DSQL204"
    name: ClassVar[str] = "temporary-view"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Temporary views are not supported by DSQL"
    help: ClassVar[str] = "create a regular view and drop it when done, or inline the query as a CTE"

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE VIEW"})
    #: The flagged modifier words.
    words: ClassVar[frozenset[str] | None] = frozenset({"TEMP", "TEMPORARY"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "CREATE VIEW":
            return
        temp = [i for i in modifier_indexes(stmt) if stmt.tokens[i].is_word("TEMP", "TEMPORARY")]
        if not temp:
            return
        yield self.report(
            stmt,
            stmt.tokens[temp[0]],
            message=f"view `{object_name(stmt, tag_end(stmt))}` is declared temporary; DSQL does not support "
            "temporary views",
        )
