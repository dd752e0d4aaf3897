"""DSQL233 table-access-method: CREATE TABLE ... USING method is rejected by DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import create_table, is_name, name_text
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import tail_keyword
from dsql_lint.rules.types._common import remove_clause


class TableAccessMethod(StatementRule):
    """Flags ``CREATE TABLE ... USING access_method`` (heap, columnar ...)."""

    code: ClassVar[str] = "DSQL233"
    name: ClassVar[str] = "table-access-method"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE TABLE cannot choose a table access method (USING) in DSQL"
    help: ClassVar[str] = "remove the USING clause: DSQL has one storage engine for every table"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Create_table() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The finding is USING method.
    words: ClassVar[frozenset[str] | None] = frozenset({"USING"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        table = create_table(stmt)
        if table is None:
            return
        i = tail_keyword(table, "USING")
        if i == -1 or i + 1 >= len(stmt.tokens) or not is_name(stmt.tokens[i + 1]):
            return
        method = stmt.tokens[i + 1]
        yield self.report(
            stmt,
            stmt.tokens[i],
            method,
            message=f"table `{name_text(stmt, table.name_start, table.name_stop)}` chooses the access method "
            f"{method.text}; DSQL rejects table access methods",
            fix=fix(
                f"Remove USING {method.text}", FixSafety.UNSAFE, remove_clause(stmt.source, stmt.tokens[i], method)
            ),
        )
