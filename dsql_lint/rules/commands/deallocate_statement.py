"""DSQL608 deallocate-statement: DSQL rejects DEALLOCATE of a named statement (DEALLOCATE ALL is fine)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class DeallocateStatement(StatementRule):
    """Flags ``DEALLOCATE [PREPARE] name``; ``DEALLOCATE [PREPARE] ALL`` is accepted (poolers send it)."""

    code: ClassVar[str] = "DSQL608"
    name: ClassVar[str] = "deallocate-statement"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DEALLOCATE of a named prepared statement is not supported in DSQL"
    help: ClassVar[str] = "remove the statement (SQL-level PREPARE does not exist on DSQL), or write DEALLOCATE ALL"

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"DEALLOCATE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "DEALLOCATE" or len(stmt.tokens) < 2:
            return
        i = 1
        if stmt.tokens[i].is_word("PREPARE") and len(stmt.tokens) > 2:
            i += 1
        name = stmt.tokens[i]
        if name.is_word("ALL"):
            return
        yield self.report(
            stmt,
            stmt.tokens[0],
            name,
            message=f"`DEALLOCATE {name.text}` is not supported by DSQL; only DEALLOCATE ALL is accepted",
        )
