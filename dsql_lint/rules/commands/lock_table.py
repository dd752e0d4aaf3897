"""DSQL605 lock-table: LOCK TABLE is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_TAGS = frozenset({"LOCK"})


class LockTable(StatementRule):
    """Flags ``LOCK [TABLE] ...`` in any mode."""

    code: ClassVar[str] = "DSQL605"
    name: ClassVar[str] = "lock-table"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "LOCK TABLE is not supported in DSQL"
    help: ClassVar[str] = (
        "remove the statement; DSQL uses optimistic concurrency: retry on 40001, or SELECT ... FOR UPDATE the rows"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = _TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _TAGS or not stmt.tokens:
            return
        tok = stmt.tokens[0]
        i = 1
        while i < len(stmt.tokens) and stmt.tokens[i].is_word("TABLE", "ONLY"):
            i += 1
        subject = stmt.tokens[i].text if i < len(stmt.tokens) else ""
        yield self.report(
            stmt,
            tok,
            message=f"`LOCK` on `{subject}` is not supported: DSQL uses optimistic concurrency, no table locks "
            "(it answers `unsupported statement: Lock`)",
        )
