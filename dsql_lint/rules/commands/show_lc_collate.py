"""DSQL615 show-lc-collate: DSQL does not know the lc_collate parameter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class ShowLcCollate(StatementRule):
    """Flags ``SHOW lc_collate``."""

    code: ClassVar[str] = "DSQL615"
    name: ClassVar[str] = "show-lc-collate"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "SHOW lc_collate fails on DSQL: the parameter does not exist"
    help: ClassVar[str] = "remove the statement; DSQL always uses the C collation and UTF-8"

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"SHOW"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "SHOW" or len(stmt.tokens) < 2 or stmt.tokens[1].identifier != "lc_collate":
            return
        yield self.report(
            stmt,
            stmt.tokens[1],
            message="`SHOW lc_collate` fails on DSQL: unrecognized configuration parameter",
        )
