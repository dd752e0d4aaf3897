"""DSQL112 character-length-limit: char(n) above 4096 or varchar(n) above 65535."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS, mentions
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import column_types, first_words, has_long_number

#: Declared-length ceilings by type name (DSQL counts bytes).
LIMITS = {
    "char": 4096,
    "character": 4096,
    "bpchar": 4096,
    "varchar": 65535,
    "character varying": 65535,
    "char varying": 65535,
}

_FIRST_WORDS = first_words(LIMITS)
assert min(LIMITS.values()) >= 999  # has_long_number: a length above the limit has four digits or more


class CharacterLengthLimit(StatementRule):
    """Flags ``char(n)`` with n > 4096 and ``varchar(n)`` with n > 65535 in column definitions."""

    code: ClassVar[str] = "DSQL112"
    name: ClassVar[str] = "character-length-limit"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "char(n) is limited to 4096 and varchar(n) to 65535 in DSQL"
    help: ClassVar[str] = "declare a smaller length, or use text (values up to 1 MiB) for long strings"

    #: Declared_columns() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if not (mentions(stmt, _FIRST_WORDS) and has_long_number(stmt)):  # skip reading the columns' types
            return
        types = column_types(stmt)
        if types.builtins.isdisjoint(LIMITS):
            return
        for col, ref in types.columns:
            if ref is None or ref.name not in LIMITS or not ref.is_builtin_name:  # ref.builtin not in LIMITS
                continue
            limit = LIMITS[ref.name]
            numbers = ref.numbers()
            if not numbers or numbers[0][1] <= limit:
                continue
            tok, value = numbers[0]
            yield self.report(
                stmt,
                tok,
                message=f"column `{col.name.identifier}` is declared {ref.name}({value}); DSQL allows at most "
                f"{limit} for {ref.name}",
            )
