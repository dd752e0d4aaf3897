"""DSQL504 isolation-level: DSQL runs every transaction at REPEATABLE READ."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import PUNCT
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_LEVELS = (("SERIALIZABLE",), ("REPEATABLE", "READ"), ("READ", "COMMITTED"), ("READ", "UNCOMMITTED"))


def isolation_clause(stmt: Statement) -> tuple[int, int, str] | None:
    """``(ISOLATION index, last level word index, level)`` of a statement's ISOLATION LEVEL clause."""
    at = stmt.find("ISOLATION", "LEVEL")
    if at == -1:
        return None
    for level in _LEVELS:
        if stmt.find(*level, start=at + 2, stop=at + 2 + len(level)) == at + 2:
            return at, at + 1 + len(level), " ".join(level)
    return None


class IsolationLevel(StatementRule):
    """Flags ``BEGIN`` / ``START TRANSACTION`` with an isolation level other than REPEATABLE READ."""

    code: ClassVar[str] = "DSQL504"
    name: ClassVar[str] = "isolation-level"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DSQL only supports the REPEATABLE READ isolation level"
    help: ClassVar[str] = (
        "remove the ISOLATION LEVEL clause; DSQL runs every transaction at REPEATABLE READ (snapshot isolation) "
        "and reports conflicts at COMMIT as retryable 40001 errors"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"BEGIN"})
    #: The finding is in ISOLATION LEVEL.
    words: ClassVar[frozenset[str] | None] = frozenset({"ISOLATION"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "BEGIN":
            return
        found = isolation_clause(stmt)
        if found is None or found[2] == "REPEATABLE READ":
            return
        first, last, level = found
        yield self.report(
            stmt,
            stmt.tokens[first + 2],
            stmt.tokens[last],
            message=f"isolation level {level} is not supported by DSQL; every transaction runs at REPEATABLE READ",
            fix=self._remove_clause(stmt, first, last),
        )

    @staticmethod
    def _remove_clause(stmt: Statement, first: int, last: int) -> Fix:
        tokens = stmt.tokens
        text = stmt.source.text

        def is_comma(i: int) -> bool:
            return 0 <= i < len(tokens) and tokens[i].kind is PUNCT and tokens[i].text == ","

        if is_comma(first - 1):
            start, end = tokens[first - 1].start, tokens[last].end
        elif is_comma(last + 1):
            start, end = tokens[first].start, tokens[last + 1].end
            while end < len(text) and text[end] in " \t":
                end += 1
        else:
            start, end = tokens[first].start, tokens[last].end
            while start > 0 and text[start - 1] in " \t":
                start -= 1
        return fix(
            "Remove the isolation level (the transaction then runs at REPEATABLE READ)",
            FixSafety.UNSAFE,
            Edit(start, end, ""),
        )
