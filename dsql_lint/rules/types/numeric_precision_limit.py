"""DSQL113 numeric-precision-limit: numeric precision above 1000 or scale outside -1000..1000."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS, mentions
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import column_types, first_words, has_long_number

NUMERIC_NAMES = frozenset({"numeric", "decimal", "dec"})
MAX_PRECISION = 1000
MAX_SCALE = 1000
_FIRST_WORDS = first_words(NUMERIC_NAMES)
assert min(MAX_PRECISION, MAX_SCALE) >= 999  # has_long_number: a value above them has four digits or more


class NumericPrecisionLimit(StatementRule):
    """Flags ``numeric(p, s)`` with p > 1000 or s outside -1000..1000 in column definitions."""

    code: ClassVar[str] = "DSQL113"
    name: ClassVar[str] = "numeric-precision-limit"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "numeric precision is limited to 1000 and scale to -1000..1000 in DSQL"
    help: ClassVar[str] = "declare numeric with a precision of at most 1000 and a scale between -1000 and 1000"

    #: Declared_columns() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if not (mentions(stmt, _FIRST_WORDS) and has_long_number(stmt)):  # skip reading the columns' types
            return
        types = column_types(stmt)
        if types.builtins.isdisjoint(NUMERIC_NAMES):
            return
        for col, ref in types.columns:
            if ref is None or ref.name not in NUMERIC_NAMES or not ref.is_builtin_name:  # ref.builtin not in ...
                continue
            numbers = ref.numbers()
            if numbers and numbers[0][1] > MAX_PRECISION:
                tok, value = numbers[0]
                yield self.report(
                    stmt,
                    tok,
                    message=f"column `{col.name.identifier}` has {ref.name} precision {value}; "
                    f"DSQL allows at most {MAX_PRECISION}",
                )
            if len(numbers) >= 2 and abs(numbers[1][1]) > MAX_SCALE:
                tok, value = numbers[1]
                yield self.report(
                    stmt,
                    tok,
                    message=f"column `{col.name.identifier}` has {ref.name} scale {value}; "
                    f"DSQL allows -{MAX_SCALE} to {MAX_SCALE}",
                )
