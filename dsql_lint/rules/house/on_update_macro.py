"""DSQL903 on-update-macro: MySQL's ``ON UPDATE CURRENT_TIMESTAMP`` column clause."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS, alter_table, create_table
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.house._common import house_prefix

PREFIX = house_prefix("2: no ON UPDATE or similar macros")

#: Words that start a foreign key's referential action: ``ON UPDATE CASCADE`` is not a macro.
REFERENTIAL_ACTIONS = frozenset({"CASCADE", "RESTRICT", "NO", "SET"})


def _ranges(stmt: Statement) -> list[tuple[int, int]]:
    """Token ranges to search: CREATE TABLE elements, or ALTER TABLE actions."""
    table = create_table(stmt)
    if table is not None:
        return table.elements
    alter = alter_table(stmt)
    return alter.actions if alter is not None else []


def _column_name(stmt: Statement, start: int) -> str:
    tokens = stmt.tokens
    j = start
    for word in ("ADD", "ALTER", "MODIFY", "CHANGE", "COLUMN"):
        if j < len(tokens) and tokens[j].is_word(word):
            j += 1
    if stmt.find("IF", "NOT", "EXISTS", start=j, stop=j + 3) == j:
        j += 3
    return tokens[j].identifier if j < len(tokens) else "?"


class OnUpdateMacro(StatementRule):
    """Flags a column's ``ON UPDATE <expression>`` clause (MySQL's automatic update macro).

    ``REFERENCES ... ON UPDATE CASCADE`` (a foreign key action) and
    ``INSERT ... ON CONFLICT ... DO UPDATE`` are not findings.
    """

    code: ClassVar[str] = "DSQL903"
    name: ClassVar[str] = "on-update-macro"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "House rule: no ON UPDATE column macros such as ON UPDATE CURRENT_TIMESTAMP"
    help: ClassVar[str] = (
        "remove the ON UPDATE clause and set the column in the UPDATE statements themselves "
        "(`UPDATE t SET ..., updated_at = now()`)"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS
    #: The finding is ON UPDATE.
    words: ClassVar[frozenset[str] | None] = frozenset({"UPDATE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in ("CREATE TABLE", "ALTER TABLE"):
            return
        tokens = stmt.tokens
        words = stmt.words
        for start, stop in _ranges(stmt):
            i = start
            while True:
                i = stmt.find("ON", "UPDATE", start=i, stop=stop)
                if i == -1:
                    break
                after = i + 2
                if after < stop and words[after] in REFERENTIAL_ACTIONS:
                    i = after
                    continue
                what = " ".join(t.text for t in tokens[after : min(after + 1, stop)]) or "(nothing)"
                yield self.report(
                    stmt,
                    tokens[i],
                    tokens[i + 1],
                    message=f"{PREFIX}column `{_column_name(stmt, start)}` has `ON UPDATE {what}`, "
                    "a MySQL macro; PostgreSQL and DSQL do not run it (they reject the clause as a syntax error)",
                )
                i = after
