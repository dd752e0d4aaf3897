"""DSQL602 vacuum: VACUUM is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_TAGS = frozenset({"VACUUM"})


class Vacuum(StatementRule):
    """Flags ``VACUUM`` in every form (``VACUUM ANALYZE``, ``VACUUM (FULL)``). ``ANALYZE`` alone is accepted."""

    code: ClassVar[str] = "DSQL602"
    name: ClassVar[str] = "vacuum"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "VACUUM is not supported in DSQL"
    help: ClassVar[str] = (
        "remove the statement; DSQL reclaims space itself, and ANALYZE table refreshes planner statistics"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = _TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _TAGS or not stmt.tokens:
            return
        tok = stmt.tokens[0]
        yield self.report(stmt, tok, message=f"`{tok.upper}` is not supported by DSQL, which vacuums storage itself")
