"""DSQL304 index-operator-class: DSQL index keys cannot name an operator class."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import create_index, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.indexes._common import key_label, key_parts


class IndexOperatorClass(StatementRule):
    """Flags an operator class after an index key (``text_pattern_ops``, ``jsonb_path_ops`` ...)."""

    code: ClassVar[str] = "DSQL304"
    name: ClassVar[str] = "index-operator-class"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Index keys cannot specify an operator class in DSQL"
    help: ClassVar[str] = (
        "remove the operator class; DSQL indexes every key with its type's default btree operator class "
        "(for LIKE 'prefix%' searches the database uses the C collation, so a plain index serves them)"
    )

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None:
            return
        for key in index.keys:
            parts = key_parts(stmt, key)
            if parts.opclass is None:
                continue
            start, stop = parts.opclass
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[stop - 1],
                message=f"index key `{key_label(stmt, parts)}` of `{index.name}` names operator class "
                f"`{name_text(stmt, start, stop)}`; DSQL rejects operator classes on index keys",
            )
