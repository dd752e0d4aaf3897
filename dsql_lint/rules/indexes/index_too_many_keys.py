"""DSQL306 index-too-many-keys: a DSQL index has at most 8 key columns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import create_index
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

MAX_KEY_COLUMNS = 8


class IndexTooManyKeys(StatementRule):
    """Flags an index with more than 8 keys. INCLUDE columns are not keys and do not count."""

    code: ClassVar[str] = "DSQL306"
    name: ClassVar[str] = "index-too-many-keys"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A DSQL index can have at most 8 key columns"
    help: ClassVar[str] = (
        "keep at most 8 key columns; move columns that are only read, not searched, into INCLUDE (...)"
    )

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None or len(index.keys) <= MAX_KEY_COLUMNS:
            return
        first_extra = index.keys[MAX_KEY_COLUMNS]
        last = index.keys[-1]
        yield self.report(
            stmt,
            stmt.tokens[first_extra.start],
            stmt.tokens[last.stop - 1],
            message=f"index `{index.name}` has {len(index.keys)} key columns; DSQL allows at most {MAX_KEY_COLUMNS}",
        )
