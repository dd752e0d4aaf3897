"""DSQL603 alter-system: ALTER SYSTEM is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_TAGS = frozenset({"ALTER SYSTEM"})


class AlterSystem(StatementRule):
    """Flags ``ALTER SYSTEM SET|RESET ...``."""

    code: ClassVar[str] = "DSQL603"
    name: ClassVar[str] = "alter-system"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER SYSTEM is not supported in DSQL"
    help: ClassVar[str] = "remove the statement; DSQL is managed and its server configuration cannot be changed"

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = _TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _TAGS or not stmt.tokens:
            return
        tok = stmt.tokens[0]
        yield self.report(
            stmt,
            tok,
            message=f"`{tok.upper}` SYSTEM is not supported by DSQL: the server configuration is managed by AWS",
        )
