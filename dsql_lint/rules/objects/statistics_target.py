"""DSQL234 statistics-target: ALTER STATISTICS ... SET STATISTICS outside -1..100, or DEFAULT."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import NUMBER, OP
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class StatisticsTarget(StatementRule):
    """Flags a statistics object's target outside -1..100, and ``SET STATISTICS DEFAULT``
    (PostgreSQL 17 syntax: on 16, and so on DSQL, the default is written -1)."""

    code: ClassVar[str] = "DSQL234"
    name: ClassVar[str] = "statistics-target"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A statistics object's target must be between -1 and 100 on DSQL"
    help: ClassVar[str] = "write a target between 0 and 100, or -1 for the default"
    explains_syntax: ClassVar[bool] = True

    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER STATISTICS"})
    words: ClassVar[frozenset[str] | None] = frozenset({"STATISTICS"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "ALTER STATISTICS":
            return
        tokens = stmt.tokens
        at = stmt.find("SET", "STATISTICS")
        if at == -1 or at + 2 >= len(tokens):
            return
        value = tokens[at + 2]
        if value.is_word("DEFAULT"):
            yield self.report(
                stmt,
                value,
                message="`SET STATISTICS DEFAULT` is PostgreSQL 17 syntax; on DSQL (PostgreSQL 16) write -1",
            )
            return
        negative = value.kind is OP and value.text == "-"
        number = tokens[at + 3] if negative and at + 3 < len(tokens) else value
        if number.kind is not NUMBER or not number.text.isdigit():
            return
        target = -int(number.text) if negative else int(number.text)
        if -1 <= target <= 100:
            return
        yield self.report(
            stmt,
            value,
            number,
            message=f"statistics target {target} is outside the range DSQL accepts (-1 to 100)",
        )
