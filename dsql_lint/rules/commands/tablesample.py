"""DSQL613 tablesample: DSQL rejects the TABLESAMPLE clause."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class Tablesample(StatementRule):
    """Flags ``... FROM t TABLESAMPLE SYSTEM (10)`` / ``BERNOULLI (...)`` wherever it appears."""

    code: ClassVar[str] = "DSQL613"
    name: ClassVar[str] = "tablesample"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "TABLESAMPLE is not supported in DSQL"
    help: ClassVar[str] = "sample with `WHERE random() < 0.1` or `ORDER BY random() LIMIT n` instead"

    #: Every finding is TABLESAMPLE.
    words: ClassVar[frozenset[str] | None] = frozenset({"TABLESAMPLE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        start = 0
        while True:
            at = stmt.find("TABLESAMPLE", start=start)
            if at == -1:
                return
            method = stmt.tokens[at + 1] if at + 1 < len(stmt.tokens) else stmt.tokens[at]
            yield self.report(
                stmt,
                stmt.tokens[at],
                method,
                message=f"`TABLESAMPLE {method.text}` is not supported by DSQL",
            )
            start = at + 1
