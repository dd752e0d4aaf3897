"""DSQL104 user-defined-type-column: a column typed with an enum, composite or range type made in the same file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import PUNCT, declared_columns, is_name, qualified_name_end
from dsql_lint.model import Diagnostic, Script, Severity, Statement
from dsql_lint.rules.api import Context, ScriptRule
from dsql_lint.rules.types._common import read_type


def created_type(stmt: Statement) -> tuple[tuple[str | None, str], str] | None:
    """``((schema, name), kind)`` of a ``CREATE TYPE name AS ENUM|RANGE|(...)``, else None.

    A shell type (``CREATE TYPE name``) and a base type (``CREATE TYPE name (INPUT = ...)``)
    are left out: they need C functions, which DSQL cannot have anyway.
    """
    if stmt.tag != "CREATE TYPE":
        return None
    i = stmt.find("TYPE")
    tokens = stmt.tokens
    if i == -1 or i + 1 >= len(tokens) or not is_name(tokens[i + 1]):
        return None
    stop = qualified_name_end(stmt, i + 1)
    names = [t.identifier for t in tokens[i + 1 : stop] if is_name(t)]
    if stop + 1 >= len(tokens) or not tokens[stop].is_word("AS"):
        return None
    after = tokens[stop + 1]
    if after.is_word("ENUM"):
        kind = "enum"
    elif after.is_word("RANGE"):
        kind = "range"
    elif after.kind is PUNCT and after.text == "(":
        kind = "composite"
    else:
        return None
    schema = names[-2] if len(names) >= 2 else None
    return (schema, names[-1]), kind


class UserDefinedTypeColumn(ScriptRule):
    """Flags columns whose type is an enum, composite or range type created earlier in the same file."""

    code: ClassVar[str] = "DSQL104"
    name: ClassVar[str] = "user-defined-type-column"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Columns cannot use user-defined enum, composite or range types in DSQL"
    help: ClassVar[str] = (
        "use text (or varchar) with a CHECK constraint listing the allowed values, a lookup table, "
        "or separate columns for a composite's fields"
    )

    def check(self, script: Script, ctx: Context) -> Iterator[Diagnostic]:
        known: dict[tuple[str | None, str], str] = {}
        for stmt in script.statements:
            made = created_type(stmt) if stmt.tag == "CREATE TYPE" else None  # (its own first test, without the call)
            if made is not None:
                known[made[0]] = made[1]
                continue
            if not known:
                continue
            for col in declared_columns(stmt):
                ref = read_type(col)
                if ref is None:
                    continue
                kind = known.get((ref.schema, ref.name))
                if kind is None and ref.schema is None:
                    kind = next((k for (s, n), k in known.items() if n == ref.name), None)
                elif kind is None:
                    kind = known.get((None, ref.name)) if ref.schema == "public" else None
                if kind is None:
                    continue
                yield self.report(
                    stmt,
                    stmt.tokens[ref.col.type_start],
                    stmt.tokens[ref.name_stop - 1],
                    message=f"column `{col.name.identifier}` uses the {kind} type `{ref.name}` created in this "
                    f"file; DSQL supports no user-defined {kind} types",
                )
