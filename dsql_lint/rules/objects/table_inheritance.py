"""DSQL219 table-inheritance: DSQL has no table inheritance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import create_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import tail_keyword


class TableInheritance(StatementRule):
    """Flags ``CREATE TABLE ... INHERITS (parent)``."""

    code: ClassVar[str] = "DSQL219"
    name: ClassVar[str] = "table-inheritance"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Table inheritance (INHERITS) is not supported by DSQL"
    help: ClassVar[str] = (
        "copy the parent's columns into the table (CREATE TABLE ... (LIKE parent) works), or keep one table "
        "with a type column"
    )

    #: Create_table() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The finding is INHERITS.
    words: ClassVar[frozenset[str] | None] = frozenset({"INHERITS"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        table = create_table(stmt)
        if table is None:
            return
        i = tail_keyword(table, "INHERITS")
        if i == -1:
            return
        end = stmt.closing(i + 1) if i + 1 < len(stmt.tokens) and stmt.tokens[i + 1].text == "(" else i
        yield self.report(
            stmt,
            stmt.tokens[i],
            stmt.tokens[end],
            message=f"table `{name_text(stmt, table.name_start, table.name_stop)}` inherits from another table; "
            "DSQL does not support INHERITS",
        )
