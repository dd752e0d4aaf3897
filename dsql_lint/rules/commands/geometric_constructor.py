"""DSQL618 geometric-constructor: DSQL has no geometric types, so their constructors fail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.commands._calls import calls, gate_words

#: PostgreSQL's geometric constructors: each returns a type of the same name, which DSQL lacks.
GEOMETRIC_CONSTRUCTORS = frozenset({"point", "line", "lseg", "box", "path", "polygon", "circle"})
#: The constructors whose answer on a cluster is recorded (facts.md 8.1).
_RECORDED = frozenset({"line", "circle"})


class GeometricConstructor(StatementRule):
    """Flags calls of ``point(...)``, ``line(...)``, ``circle(...)`` and the other geometric constructors."""

    code: ClassVar[str] = "DSQL618"
    name: ClassVar[str] = "geometric-constructor"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Geometric constructors (point, line, circle ...) fail on DSQL: it has no geometric types"
    help: ClassVar[str] = (
        "store coordinates in numeric columns (x, y, radius ...) and compute distances in SQL arithmetic "
        "or in the application"
    )

    words: ClassVar[frozenset[str] | None] = gate_words(GEOMETRIC_CONSTRUCTORS)

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for tok in calls(stmt, GEOMETRIC_CONSTRUCTORS):
            kind = tok.identifier.lower()
            recorded = f" (it answers `datatype {kind} not supported`)" if kind in _RECORDED else ""
            yield self.report(
                stmt,
                tok,
                message=f"`{tok.text}(...)` builds a value of type {kind}, and DSQL has no geometric types{recorded}",
            )
