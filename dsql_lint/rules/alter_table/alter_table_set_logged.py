"""DSQL409 alter-table-set-logged: ALTER TABLE SET LOGGED / SET UNLOGGED is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, leading_words, table_name
from dsql_lint.rules.api import Context, StatementRule

_PATTERNS: tuple[tuple[str, ...], ...] = (("SET", "LOGGED"), ("SET", "UNLOGGED"))


class AlterTableSetLogged(StatementRule):
    """Flags ``ALTER TABLE t SET LOGGED`` and ``SET UNLOGGED``."""

    code: ClassVar[str] = "DSQL409"
    name: ClassVar[str] = "alter-table-set-logged"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE SET LOGGED / SET UNLOGGED is not supported in DSQL"
    help: ClassVar[str] = "remove the action; every DSQL table is durable and replicated, there are no unlogged tables"

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is SET LOGGED or SET UNLOGGED.
    words: ClassVar[frozenset[str] | None] = frozenset({"LOGGED", "UNLOGGED"})

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
                message=f"`{words}` on `{table_name(view)}` is not supported by DSQL, which has no unlogged tables",
            )
