"""DSQL105 collate-clause: DSQL columns cannot declare a collation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import COLUMN_TAGS, declared_columns, name_text, qualified_name_end
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import remove_clause


class CollateClause(StatementRule):
    """Flags ``COLLATE`` in a column definition of CREATE TABLE or ALTER TABLE ... ADD COLUMN."""

    code: ClassVar[str] = "DSQL105"
    name: ClassVar[str] = "collate-clause"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Column definitions cannot specify COLLATE in DSQL"
    help: ClassVar[str] = (
        "remove the COLLATE clause; DSQL compares text with the C collation, so sort or compare with an "
        "explicit expression in queries where another order is needed"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Declared_columns() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS
    #: Every finding is a COLLATE keyword.
    words: ClassVar[frozenset[str] | None] = frozenset({"COLLATE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        depths = stmt.depths
        for col in declared_columns(stmt):
            base = depths[col.name_index]
            for i in range(col.type_stop, col.stop):
                tok = stmt.tokens[i]
                if depths[i] != base or not tok.is_word("COLLATE"):
                    continue
                end = qualified_name_end(stmt, i + 1)
                last = stmt.tokens[end - 1] if end > i + 1 else tok
                collation = name_text(stmt, i + 1, end) if end > i + 1 else "?"
                yield self.report(
                    stmt,
                    tok,
                    last,
                    message=f"column `{col.name.identifier}` declares COLLATE {collation}; "
                    "DSQL answers `COLLATE clause not supported`",
                    fix=fix(f"Remove COLLATE {collation}", FixSafety.UNSAFE, remove_clause(stmt.source, tok, last)),
                )
