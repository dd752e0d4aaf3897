"""DSQL412 unsupported-alter-table-action: ALTER TABLE actions outside DSQL's ALTER TABLE grammar."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.lexer import TokenKind
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rule import Context, StatementRule
from dsql_lint.rules.alter_table._common import actions, alter_column, leading_words, table_name, word_at

#: Table actions PostgreSQL has and DSQL's documented ALTER TABLE syntax does not.
_TABLE_ACTIONS: tuple[tuple[str, ...], ...] = (
    ("CLUSTER", "ON"),
    ("SET", "WITHOUT", "CLUSTER"),
    ("SET", "WITHOUT", "OIDS"),
    ("SET", "WITH", "OIDS"),
    ("SET", "ACCESS", "METHOD"),
    ("NOT", "OF"),
    ("OF",),
)


class UnsupportedAlterTableAction(StatementRule):
    """Flags ALTER TABLE actions that are not in DSQL's ALTER TABLE syntax and that no other rule names:
    CLUSTER ON, SET WITHOUT CLUSTER, SET WITH[OUT] OIDS, SET ACCESS METHOD, OF type, NOT OF, and
    ALTER COLUMN ... SET COMPRESSION / SET (...) / RESET (...)."""

    code: ClassVar[str] = "DSQL412"
    name: ClassVar[str] = "unsupported-alter-table-action"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "An ALTER TABLE action outside DSQL's ALTER TABLE syntax"
    help: ClassVar[str] = "remove the action; DSQL manages physical layout, compression and per-column options itself"

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            length = leading_words(stmt, start, stop, _TABLE_ACTIONS)
            if length:
                first, last = start, start + length - 1
            else:
                found = self._column_option(stmt, start, stop)
                if found is None:
                    continue
                first, last = found
            words = " ".join(t.text for t in stmt.tokens[first : last + 1])
            yield self.report(
                stmt,
                stmt.tokens[first],
                stmt.tokens[last],
                message=f"`{words}` on `{table_name(view)}` is not in DSQL's ALTER TABLE syntax",
            )

    @staticmethod
    def _column_option(stmt: Statement, start: int, stop: int) -> tuple[int, int] | None:
        """``ALTER COLUMN c SET COMPRESSION x`` / ``SET (...)`` / ``RESET (...)``: the offending words."""
        col = alter_column(stmt, start, stop)
        if col is None:
            return None
        j = col.sub_start
        word = word_at(stmt, j, stop)
        if word == "SET" and word_at(stmt, j + 1, stop) == "COMPRESSION":
            return j, j + 1
        if word in ("SET", "RESET") and j + 1 < stop:
            paren = stmt.tokens[j + 1]
            if paren.kind is TokenKind.PUNCT and paren.text == "(":
                return j, stmt.closing(j + 1)
        return None
