"""DSQL302 index-sort-order: DSQL index keys cannot say ASC or DESC."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import delete_token, fix
from dsql_lint.frontend.syntax import create_index, name_text
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class IndexSortOrder(StatementRule):
    """Flags ASC or DESC on an index key. NULLS FIRST/LAST alone is accepted."""

    code: ClassVar[str] = "DSQL302"
    name: ClassVar[str] = "index-sort-order"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Index keys cannot specify ASC or DESC in DSQL"
    help: ClassVar[str] = (
        "remove ASC/DESC from the index key; DSQL's btree indexes are scanned in both directions, "
        "and NULLS FIRST/LAST may stay"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})
    #: Every finding is ASC or DESC.
    words: ClassVar[frozenset[str] | None] = frozenset({"ASC", "DESC"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None:
            return
        for key in index.keys:
            if key.sort_index == -1:
                continue
            tok = stmt.tokens[key.sort_index]
            key_text = name_text(stmt, key.start, key.sort_index) if key.sort_index - key.start <= 3 else "expression"
            is_asc = tok.upper == "ASC"
            yield self.report(
                stmt,
                tok,
                message=f"index key `{key_text}` of `{index.name}` specifies sort order {tok.upper}; "
                "DSQL rejects sort orders on index keys",
                fix=fix(
                    f"Remove {tok.upper}",
                    FixSafety.SAFE if is_asc else FixSafety.UNSAFE,
                    delete_token(stmt.source, tok),
                ),
            )
