"""DSQL611 merge: DSQL has no MERGE statement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class Merge(StatementRule):
    """Flags ``MERGE INTO ...``, also after a ``WITH`` clause."""

    code: ClassVar[str] = "DSQL611"
    name: ClassVar[str] = "merge"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "MERGE is not supported in DSQL"
    help: ClassVar[str] = (
        "use INSERT ... ON CONFLICT (...) DO UPDATE for upserts, or separate UPDATE and INSERT statements"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"MERGE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "MERGE":
            return
        at = stmt.find("MERGE", depth=0)
        if at == -1:
            return
        target = stmt.tokens[at + 2].text if at + 2 < len(stmt.tokens) else "?"
        yield self.report(stmt, stmt.tokens[at], message=f"`MERGE` into `{target}` is not supported by DSQL")
