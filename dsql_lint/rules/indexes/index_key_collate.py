"""DSQL308 index-key-collate: DSQL index keys cannot name a collation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import delete_tokens, fix
from dsql_lint.frontend.syntax import create_index
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.indexes._common import key_label, key_parts


class IndexKeyCollate(StatementRule):
    """Flags ``COLLATE`` on an index key (``CREATE INDEX ASYNC i ON t (name COLLATE "C")``)."""

    code: ClassVar[str] = "DSQL308"
    name: ClassVar[str] = "index-key-collate"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Index keys cannot specify COLLATE in DSQL"
    help: ClassVar[str] = "remove the COLLATE clause; DSQL has only the C collation, which every index already uses"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})
    #: Every finding is a COLLATE clause.
    words: ClassVar[frozenset[str] | None] = frozenset({"COLLATE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None:
            return
        tokens = stmt.tokens
        for key in index.keys:
            parts = key_parts(stmt, key)
            if parts.collate is None:
                continue
            start, stop = parts.collate
            yield self.report(
                stmt,
                tokens[start],
                tokens[stop - 1],
                message=f"index key `{key_label(stmt, parts)}` of `{index.name}` specifies a collation; "
                "DSQL does not support COLLATE",
                fix=fix(
                    "Remove the COLLATE clause",
                    FixSafety.UNSAFE,
                    delete_tokens(stmt.source, tokens[start], tokens[stop - 1]),
                ),
            )
