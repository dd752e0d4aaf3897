"""DSQL609 discard: DISCARD is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_TAGS = frozenset({"DISCARD"})


class Discard(StatementRule):
    """Flags ``DISCARD ALL|PLANS|SEQUENCES|TEMP``."""

    code: ClassVar[str] = "DSQL609"
    name: ClassVar[str] = "discard"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DISCARD is not supported in DSQL"
    help: ClassVar[str] = "remove the statement; open a new connection when you need a clean session"

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = _TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _TAGS or not stmt.tokens:
            return
        tok = stmt.tokens[0]
        subject = stmt.tokens[1].text if len(stmt.tokens) > 1 else ""
        yield self.report(stmt, tok, message=f"`DISCARD {subject}` is not supported by DSQL")
