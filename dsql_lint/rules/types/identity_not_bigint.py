"""DSQL108 identity-not-bigint: DSQL identity columns must be bigint."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from dsql_lint.frontend.syntax import ColumnDef, added_column, added_columns, alter_table, create_table, is_name
from dsql_lint.model import Diagnostic, Script, Severity, Statement
from dsql_lint.records import Record
from dsql_lint.rules.api import Context, ScriptRule
from dsql_lint.rules.types._common import (
    NON_BIGINT_INTEGERS,
    IdentitySite,
    identity_at,
    identity_sites,
    read_type,
)

CANONICAL = {"int2": "smallint", "int": "integer", "int4": "integer"}
_TAGS = frozenset({"CREATE TABLE", "ALTER TABLE", "DROP TABLE"})


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class _Declared(Record):
    """A column's declared type as this file wrote it, and where (its name's offset in the file)."""

    type_name: str
    offset: int

    def __init__(self, type_name: str, offset: int) -> None:
        self.type_name = type_name
        self.offset = offset


class IdentityNotBigint(ScriptRule):
    """Flags ``smallint``/``integer`` identity columns: in CREATE TABLE, and in
    ``ALTER COLUMN c ADD GENERATED ... AS IDENTITY`` when this file declared ``c`` with such a type."""

    code: ClassVar[str] = "DSQL108"
    name: ClassVar[str] = "identity-not-bigint"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Identity columns must be bigint in DSQL"
    help: ClassVar[str] = "declare the identity column as bigint"

    def check(self, script: Script, ctx: Context) -> Iterator[Diagnostic]:
        tables: dict[str, dict[str, _Declared]] = {}
        statements = [s for s in script.statements if s.tag in _TAGS]
        # Findings are only at identity clauses: what the file declares after the last one
        # cannot matter, and a file without any (most files) needs no column bookkeeping.
        last = max((i for i, s in enumerate(statements) if _sites(s)), default=-1)
        for stmt in statements[: last + 1]:
            for site in _sites(stmt):
                found = self._check_site(stmt, site, tables)
                if found is not None:
                    yield found
            _remember(stmt, tables)

    def _check_site(
        self, stmt: Statement, site: IdentitySite, tables: dict[str, dict[str, _Declared]]
    ) -> Diagnostic | None:
        if site.col is not None:
            ref = read_type(site.col)
            if ref is None or ref.builtin not in NON_BIGINT_INTEGERS or ref.array_start != -1:
                return None
            return self.report(
                stmt,
                stmt.tokens[ref.name_start],
                stmt.tokens[ref.name_stop - 1],
                message=f"identity column `{site.column}` is {ref.name}; DSQL answers "
                f"`datatype {CANONICAL.get(ref.name, ref.name)} not supported, "
                "identity column type must be bigint`",
            )
        table = _table_key(stmt)
        declared = tables.get(table or "", {}).get(site.column)
        if declared is None or declared.type_name not in NON_BIGINT_INTEGERS:
            return None
        canonical = CANONICAL.get(declared.type_name, declared.type_name)
        line = stmt.source.position(declared.offset)[0]  # every statement of a script has its source
        return self.report(
            stmt,
            stmt.tokens[site.identity.generated_index],
            stmt.tokens[site.identity.identity_index],
            message=f"column `{site.column}` of `{table}` was declared {declared.type_name} on line {line}, "
            f"so it cannot become an identity column; DSQL answers `datatype {canonical} not supported, "
            "identity column type must be bigint`",
            help="declare the column bigint where the table is created; DSQL cannot change a column's type later",
        )


def _sites(stmt: Statement) -> list[IdentitySite]:
    """:func:`identity_sites`, and the identity clauses of columns added by ALTER TABLE ... ADD COLUMN.

    DSQL401 reports that ADD COLUMN takes no identity at all; a non-bigint type is a second
    reason the statement fails, reported here too, so that fixing one does not uncover the other.
    """
    sites = identity_sites(stmt)
    if stmt.tag != "ALTER TABLE" or "GENERATED" not in stmt.words:
        return sites
    added = [
        IdentitySite(ident, col.name.identifier, col)
        for col in added_columns(stmt)
        if (ident := identity_at(stmt, col.type_stop, col.stop)) is not None
    ]
    return sites + added if added else sites


def _table_key(stmt: Statement) -> str | None:
    """The created or altered table's name, folded, without its schema (None when there is none)."""
    view = create_table(stmt) or alter_table(stmt)
    if view is None or view.name_stop <= view.name_start:
        return None
    return stmt.tokens[view.name_stop - 1].identifier


def _declare(stmt: Statement, columns: dict[str, _Declared], col: ColumnDef) -> None:
    """Record a column definition's built-in type."""
    ref = read_type(col)
    if ref is None or ref.array_start != -1:
        return
    builtin = ref.builtin
    if builtin is not None:
        name = col.name
        columns[name.identifier] = _Declared(builtin, name.start)


def _remember(stmt: Statement, tables: dict[str, dict[str, _Declared]]) -> None:
    """Record the column types a statement declares, and forget what it drops, renames or retypes."""
    if stmt.tag == "DROP TABLE":
        for tok in stmt.tokens[2:]:
            if is_name(tok):
                tables.pop(tok.identifier, None)
        return
    table = _table_key(stmt)
    if table is None:
        return
    created = create_table(stmt)
    if created is not None:
        tables[table] = {}
        for col in created.columns:
            _declare(stmt, tables[table], col)
        return
    view = alter_table(stmt)
    if view is None:
        return
    columns = tables.setdefault(table, {})
    for start, stop in view.actions:
        words = stmt.words[start:stop]
        added = added_column(stmt, start, stop)
        if added is not None:
            _declare(stmt, columns, added)
        elif words[:2] == ["RENAME", "TO"]:
            tables.pop(table, None)
            return
        elif words[:1] in (["DROP"], ["RENAME"]) or (words[:1] == ["ALTER"] and ("TYPE" in words)):
            # DROP/RENAME [COLUMN] x, ALTER [COLUMN] x [SET DATA] TYPE t: what we knew about x is stale.
            j = start + 1
            if j < stop and stmt.tokens[j].is_word("COLUMN"):
                j += 1
            if stmt.find("IF", "EXISTS", start=j, stop=min(j + 2, stop)) == j:
                j += 2
            if j < stop and is_name(stmt.tokens[j]):
                columns.pop(stmt.tokens[j].identifier, None)
