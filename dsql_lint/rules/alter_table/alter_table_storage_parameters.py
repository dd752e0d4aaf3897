"""DSQL408 alter-table-storage-parameters: DSQL tables have no storage parameters to set or reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import PUNCT
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, table_name, word_at
from dsql_lint.rules.api import Context, StatementRule


class AlterTableStorageParameters(StatementRule):
    """Flags ``ALTER TABLE t SET (fillfactor = 70)`` and ``ALTER TABLE t RESET (...)``."""

    code: ClassVar[str] = "DSQL408"
    name: ClassVar[str] = "alter-table-storage-parameters"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE SET (...) / RESET (...) storage parameters are not supported in DSQL"
    help: ClassVar[str] = "remove the action; DSQL manages table storage (fillfactor, autovacuum ...) itself"

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is SET (...) or RESET (...).
    words: ClassVar[frozenset[str] | None] = frozenset({"SET", "RESET"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            word = word_at(stmt, start, stop)
            if word not in ("SET", "RESET") or start + 1 >= stop:
                continue
            paren = stmt.tokens[start + 1]
            if paren.kind is not PUNCT or paren.text != "(":
                continue
            close = stmt.closing(start + 1)
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[close],
                message=f"`{word} (...)` changes storage parameters of `{table_name(view)}`; DSQL rejects it",
            )
