"""DSQL303 index-using-method: DSQL's CREATE INDEX has no USING clause; every index is a btree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import create_index
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.indexes._common import delete_clause


class IndexUsingMethod(StatementRule):
    """Flags ``CREATE INDEX ... USING method``: ``gin``/``gist``/``hash``/``brin``/... and ``btree`` too.

    DSQL's CREATE INDEX grammar has no USING clause at all; ``USING btree`` names what DSQL
    builds anyway, so its fix (deleting the clause) is safe.
    """

    code: ClassVar[str] = "DSQL303"
    name: ClassVar[str] = "index-using-method"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DSQL's CREATE INDEX has no USING clause; indexes are btree only"
    help: ClassVar[str] = (
        "drop the USING clause and index plain columns or immutable expressions with the default btree; "
        "containment and full-text searches need another design on DSQL"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})
    #: The finding is USING method.
    words: ClassVar[frozenset[str] | None] = frozenset({"USING"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None or index.using_index == -1:
            return
        using = stmt.tokens[index.using_index - 1]
        method = stmt.tokens[index.using_index]
        if method.identifier == "btree":
            yield self.report(
                stmt,
                using,
                method,
                message=f"index `{index.name}`: DSQL indexes are always btree; remove `USING {method.text}` "
                "(DSQL's CREATE INDEX has no USING clause)",
                help="remove `USING btree`; DSQL builds a btree index without it",
                fix=fix("Remove `USING btree`", FixSafety.SAFE, delete_clause(stmt.source, using, method)),
            )
            return
        yield self.report(
            stmt,
            method,
            message=f"index `{index.name}` uses access method `{method.text}`; DSQL only supports btree indexes",
        )
