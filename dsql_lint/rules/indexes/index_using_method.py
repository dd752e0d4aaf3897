"""DSQL303 index-using-method: DSQL only builds btree indexes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rule import Context, StatementRule
from dsql_lint.syntax import create_index


class IndexUsingMethod(StatementRule):
    """Flags ``CREATE INDEX ... USING gin|gist|hash|brin|...``; ``USING btree`` is accepted."""

    code: ClassVar[str] = "DSQL303"
    name: ClassVar[str] = "index-using-method"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DSQL indexes are btree only; USING gin/gist/hash/brin is rejected"
    help: ClassVar[str] = (
        "drop the USING clause and index plain columns or immutable expressions with the default btree; "
        "containment and full-text searches need another design on DSQL"
    )

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None or index.using_index == -1:
            return
        method = stmt.tokens[index.using_index]
        if method.is_word("BTREE") or method.identifier == "btree":
            return
        yield self.report(
            stmt,
            method,
            message=f"index `{index.name}` uses access method `{method.text}`; DSQL only supports btree indexes",
        )
