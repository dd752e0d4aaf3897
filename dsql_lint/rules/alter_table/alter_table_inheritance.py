"""DSQL410 alter-table-inheritance: ALTER TABLE INHERIT / NO INHERIT is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, leading_words, table_name
from dsql_lint.rules.api import Context, StatementRule

_PATTERNS: tuple[tuple[str, ...], ...] = (("INHERIT",), ("NO", "INHERIT"))


class AlterTableInheritance(StatementRule):
    """Flags ``ALTER TABLE t INHERIT parent`` and ``NO INHERIT parent``."""

    code: ClassVar[str] = "DSQL410"
    name: ClassVar[str] = "alter-table-inheritance"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE INHERIT / NO INHERIT is not supported in DSQL"
    help: ClassVar[str] = (
        "remove the action; DSQL has no table inheritance, so model the shared columns in each table or in a view"
    )

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is [NO] INHERIT.
    words: ClassVar[frozenset[str] | None] = frozenset({"INHERIT"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            length = leading_words(stmt, start, stop, _PATTERNS)
            if not length:
                continue
            words = " ".join(stmt.words[start : start + length])
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[start + length - 1],
                message=f"`{words}` on `{table_name(view)}` is not supported by DSQL, which has no table inheritance",
            )
