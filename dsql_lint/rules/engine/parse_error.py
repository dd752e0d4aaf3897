"""DSQL001 parse-error: a statement the DSQL dialect cannot parse."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class ParseError(StatementRule):
    """Report statements that cannot be parsed, at the position the parser gives.

    Token-based rules still run on such statements; only checks that need the
    syntax tree are skipped, so the rest of the file is always linted.
    """

    code: ClassVar[str] = "DSQL001"
    name: ClassVar[str] = "parse-error"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "The statement cannot be parsed as PostgreSQL/DSQL SQL"
    help: ClassVar[str] = (
        "check the syntax near the marked token; if PostgreSQL accepts this statement, "
        "suppress DSQL001 for it and report the parser gap"
    )

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        failure = stmt.parse_failure
        if failure is None:
            return
        yield self.report(stmt, failure.start, failure.end, message=f"cannot parse this statement: {failure.message}")
