"""DSQL225 exclusion-constraint: DSQL has no exclusion constraints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS, PUNCT, alter_table, create_table, is_name, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


def _exclude_at(stmt: Statement, start: int, stop: int) -> int:
    """Index of EXCLUDE when ``[start, stop)`` is ``[CONSTRAINT name] EXCLUDE ...``, else -1."""
    tokens = stmt.tokens
    i = start
    if i < stop and tokens[i].is_word("CONSTRAINT"):
        i += 2 if i + 1 < stop and is_name(tokens[i + 1]) else 1
    if i + 1 >= stop or not tokens[i].is_word("EXCLUDE"):
        return -1
    after = tokens[i + 1]
    return i if after.is_word("USING") or (after.kind is PUNCT and after.text == "(") else -1


class ExclusionConstraint(StatementRule):
    """Flags EXCLUDE constraints in CREATE TABLE and in ALTER TABLE ... ADD [CONSTRAINT name] EXCLUDE."""

    code: ClassVar[str] = "DSQL225"
    name: ClassVar[str] = "exclusion-constraint"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Exclusion constraints (EXCLUDE) are not supported by DSQL"
    help: ClassVar[str] = (
        "enforce the rule in the application inside a transaction (DSQL's optimistic concurrency control "
        "rejects a conflicting concurrent writer), or with a UNIQUE index when the rule is plain equality"
    )

    #: Create_table() and alter_table() are None for other statements.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS
    #: The finding is EXCLUDE.
    words: ClassVar[frozenset[str] | None] = frozenset({"EXCLUDE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        table = create_table(stmt)
        spans: list[tuple[int, int]] = []
        name = ""
        if table is not None:
            spans = table.elements
            name = name_text(stmt, table.name_start, table.name_stop)
        else:
            alter = alter_table(stmt)
            if alter is None:
                return
            name = name_text(stmt, alter.name_start, alter.name_stop)
            spans = [(a + 1, b) for a, b in alter.actions if stmt.tokens[a].is_word("ADD")]
        for start, stop in spans:
            i = _exclude_at(stmt, start, stop)
            if i == -1:
                continue
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[i],
                message=f"table `{name}` declares an exclusion constraint; DSQL does not support EXCLUDE constraints",
            )
