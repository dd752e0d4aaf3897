"""DSQL224 on-commit: CREATE TABLE ... ON COMMIT is rejected by DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import create_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import tail_keyword


class OnCommit(StatementRule):
    """Flags ``ON COMMIT {PRESERVE ROWS|DELETE ROWS|DROP}`` in CREATE TABLE."""

    code: ClassVar[str] = "DSQL224"
    name: ClassVar[str] = "on-commit"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE TABLE ... ON COMMIT is not supported by DSQL"
    help: ClassVar[str] = (
        "remove ON COMMIT and delete or drop the table explicitly; DSQL has no temporary tables for it to apply to"
    )

    #: Create_table() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The finding is ON COMMIT.
    words: ClassVar[frozenset[str] | None] = frozenset({"COMMIT"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        table = create_table(stmt)
        if table is None:
            return
        i = tail_keyword(table, "ON", "COMMIT")
        if i == -1:
            return
        end = i + 1
        while end + 1 < len(stmt.tokens) and stmt.tokens[end + 1].is_word("PRESERVE", "DELETE", "ROWS", "DROP"):
            end += 1
        action = " ".join(t.upper for t in stmt.tokens[i + 2 : end + 1])
        yield self.report(
            stmt,
            stmt.tokens[i],
            stmt.tokens[end],
            message=f"table `{name_text(stmt, table.name_start, table.name_stop)}` declares ON COMMIT {action}; "
            "DSQL rejects ON COMMIT",
        )
