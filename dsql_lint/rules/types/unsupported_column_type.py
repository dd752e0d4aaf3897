"""DSQL103 unsupported-column-type: built-in PostgreSQL types DSQL cannot store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS, mentions
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import column_types, first_words

_RANGES = ("int4", "int8", "num", "ts", "tstz", "date")

#: Built-in types DSQL rejects as column types, and what to use instead.
UNSUPPORTED_TYPES: dict[str, str] = {
    "money": "numeric(19, 4)",
    "xml": "text",
    "inet": "text (or bytea) holding the address",
    "cidr": "text holding the network",
    "macaddr": "text or bytea",
    "macaddr8": "text or bytea",
    "point": "two double precision columns",
    "line": "double precision columns",
    "lseg": "double precision columns",
    "box": "double precision columns",
    "path": "jsonb or a child table of points",
    "polygon": "jsonb or a child table of points",
    "circle": "double precision columns",
    "tsvector": "text (search in the application or another service)",
    "tsquery": "text",
    "bit": "boolean, integer or bytea",
    "varbit": "bytea",
    "bit varying": "bytea",
    "pg_lsn": "text or bigint",
    "txid_snapshot": "text",
    "pg_snapshot": "text",
    **{f"{r}range": "two bound columns (lower, upper)" for r in _RANGES},
    **{f"{r}multirange": "a child table of (lower, upper) rows" for r in _RANGES},
}

_FIRST_WORDS = first_words(UNSUPPORTED_TYPES)


class UnsupportedColumnType(StatementRule):
    """Flags columns of a built-in type DSQL cannot store (money, inet, ranges, tsvector, bit ...)."""

    code: ClassVar[str] = "DSQL103"
    name: ClassVar[str] = "unsupported-column-type"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "The column's data type cannot be stored in DSQL"
    help: ClassVar[str] = (
        "use a storable type (integer types, numeric, text, varchar, char, boolean, bytea, uuid, "
        "date/time types, json, jsonb); the type still works in query expressions"
    )

    #: Declared_columns() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if not mentions(stmt, _FIRST_WORDS):  # none of these types is named: skip reading the columns' types
            return
        types = column_types(stmt)
        if types.builtins.isdisjoint(UNSUPPORTED_TYPES):
            return
        for col, ref in types.columns:
            if ref is None or ref.builtin not in UNSUPPORTED_TYPES:
                continue
            name = ref.name
            shown = "bit varying" if name == "varbit" else name
            yield self.report(
                stmt,
                stmt.tokens[ref.name_start],
                stmt.tokens[ref.name_stop - 1],
                message=f"column `{col.name.identifier}` has type {name}, which DSQL cannot store "
                f"(it answers `datatype {shown} not supported`)",
                help=f"store it as {UNSUPPORTED_TYPES[name]} instead; {name} still works in query expressions",
            )
