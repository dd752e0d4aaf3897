"""DSQL412 unsupported-alter-table-action: ALTER TABLE actions outside DSQL's ALTER TABLE grammar."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import PUNCT
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, alter_column, leading_words, table_name, word_at
from dsql_lint.rules.api import Context, StatementRule

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

_TRIGGER_HELP = (
    "DSQL has no triggers to switch; it only accepts ENABLE/DISABLE TRIGGER ALL or USER (a no-op), "
    "so write one of those or remove the action"
)


class UnsupportedAlterTableAction(StatementRule):
    """Flags ALTER TABLE actions that are not in DSQL's ALTER TABLE syntax and that no other rule names:
    CLUSTER ON, SET WITHOUT CLUSTER, SET WITH[OUT] OIDS, SET ACCESS METHOD, OF type, NOT OF,
    ALTER COLUMN ... SET COMPRESSION / SET (...) / RESET (...), and ENABLE/DISABLE TRIGGER other
    than ``TRIGGER ALL`` / ``TRIGGER USER`` (a named trigger, ENABLE ALWAYS/REPLICA TRIGGER)."""

    code: ClassVar[str] = "DSQL412"
    name: ClassVar[str] = "unsupported-alter-table-action"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "An ALTER TABLE action outside DSQL's ALTER TABLE syntax"
    help: ClassVar[str] = "remove the action; DSQL manages physical layout, compression and per-column options itself"

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: Each flagged action holds one of these words.
    words: ClassVar[frozenset[str] | None] = frozenset({"CLUSTER", "OF", "SET", "RESET", "TRIGGER"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            length = leading_words(stmt, start, stop, _TABLE_ACTIONS)
            help = None
            if length:
                first, last = start, start + length - 1
            else:
                found = self._column_option(stmt, start, stop)
                if found is None:
                    found = self._trigger_action(stmt, start, stop)
                    help = _TRIGGER_HELP
                if found is None:
                    continue
                first, last = found
            words = " ".join(t.text for t in stmt.tokens[first : last + 1])
            yield self.report(
                stmt,
                stmt.tokens[first],
                stmt.tokens[last],
                message=f"`{words}` on `{table_name(view)}` is not in DSQL's ALTER TABLE syntax",
                help=help,
            )

    @staticmethod
    def _trigger_action(stmt: Statement, start: int, stop: int) -> tuple[int, int] | None:
        """``ENABLE|DISABLE TRIGGER name`` and ``ENABLE ALWAYS|REPLICA TRIGGER ...``: DSQL only has TRIGGER ALL|USER."""
        word = word_at(stmt, start, stop)
        if word not in ("ENABLE", "DISABLE"):
            return None
        j = start + 1
        mode = word_at(stmt, j, stop) if word == "ENABLE" else ""
        if mode in ("ALWAYS", "REPLICA"):
            j += 1
        if word_at(stmt, j, stop) != "TRIGGER" or j + 1 >= stop:
            return None
        if mode not in ("ALWAYS", "REPLICA") and word_at(stmt, j + 1, stop) in ("ALL", "USER"):
            return None
        return start, j + 1

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
            if paren.kind is PUNCT and paren.text == "(":
                return j, stmt.closing(j + 1)
        return None
