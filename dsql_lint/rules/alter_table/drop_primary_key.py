"""DSQL414 drop-primary-key: DSQL cannot remove a table's primary key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, word_at
from dsql_lint.rules.api import Context, StatementRule


class DropPrimaryKey(StatementRule):
    """Flags ``ALTER TABLE t DROP CONSTRAINT t_pkey``: the name PostgreSQL gives a primary key.

    Dropping any other constraint is accepted since foreign keys arrived (2026-08-26), and is
    not flagged. A key named otherwise is not recognised here.
    """

    code: ClassVar[str] = "DSQL414"
    name: ClassVar[str] = "drop-primary-key"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A table's primary key cannot be removed on DSQL"
    help: ClassVar[str] = (
        "keep the key; to change it, create a new table with the new key, copy the rows in batches "
        "of at most 3,000, and swap the names"
    )

    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    words: ClassVar[frozenset[str] | None] = frozenset({"CONSTRAINT"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            if word_at(stmt, start, stop) != "DROP" or word_at(stmt, start + 1, stop) != "CONSTRAINT":
                continue
            i = start + 2
            if word_at(stmt, i, stop) == "IF" and word_at(stmt, i + 1, stop) == "EXISTS":
                i += 2
            if i >= stop:
                continue
            constraint = stmt.tokens[i]
            table = stmt.tokens[view.name_stop - 1].identifier
            if constraint.identifier != f"{table}_pkey":
                continue
            yield self.report(
                stmt,
                stmt.tokens[start],
                constraint,
                message=f"`{constraint.text}` is the primary key of `{table}`, and DSQL cannot remove a primary key",
            )
