"""DSQL102 array-type: DSQL cannot store array columns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import column_types


class ArrayType(StatementRule):
    """Flags array columns (``text[]``, ``int[][]``, ``integer ARRAY[3]``) in CREATE TABLE and ADD COLUMN."""

    code: ClassVar[str] = "DSQL102"
    name: ClassVar[str] = "array-type"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Array column types are not supported by DSQL"
    help: ClassVar[str] = (
        "store the values in a child table with one row per element, or in a jsonb (or text) column; "
        "arrays still work inside queries"
    )

    #: Declared_columns() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS
    #: An array type is written with ``[`` or ``ARRAY`` (:attr:`TypeRef.array_start`): without
    #: either, the columns' types are not read.
    words: ClassVar[frozenset[str] | None] = frozenset({"[", "ARRAY"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        types = column_types(stmt)
        if not types.has_array:
            return
        for col, ref in types.columns:
            if ref is None or ref.array_start == -1:
                continue
            shown = ref.text()
            yield self.report(
                stmt,
                stmt.tokens[col.type_start],
                stmt.tokens[ref.stop - 1],
                message=f"column `{col.name.identifier}` is declared as an array ({shown}); "
                f"DSQL answers `datatype {ref.name}[] not supported`",
            )
