"""DSQL610 declare-cursor: DECLARE CURSOR is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_TAGS = frozenset({"DECLARE"})


class DeclareCursor(StatementRule):
    """Flags ``DECLARE name CURSOR ...`` (frameworks' server-side cursors send it)."""

    code: ClassVar[str] = "DSQL610"
    name: ClassVar[str] = "declare-cursor"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DECLARE CURSOR is not supported in DSQL"
    help: ClassVar[str] = (
        "remove the cursor; read the rows with keyset pagination (WHERE key > last ORDER BY key LIMIT n) instead"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = _TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _TAGS or not stmt.tokens:
            return
        tok = stmt.tokens[0]
        subject = stmt.tokens[1].text if len(stmt.tokens) > 1 else ""
        yield self.report(stmt, tok, message=f"cursor `{subject}` cannot be declared: DSQL has no server-side cursors")
