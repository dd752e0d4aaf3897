"""DSQL116 identity-on-nullable-column: ADD GENERATED ... AS IDENTITY needs a NOT NULL column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Script, Severity, Statement
from dsql_lint.rule import Context, ScriptRule
from dsql_lint.rules.types._common import identity_sites
from dsql_lint.syntax import PUNCT, WORD, AlterTable, added_columns, alter_table, create_table, is_name

_TAGS = frozenset({"CREATE TABLE", "ALTER TABLE", "DROP TABLE"})


class IdentityOnNullableColumn(ScriptRule):
    """Flags ``ALTER TABLE t ALTER COLUMN c ADD GENERATED ... AS IDENTITY`` when this file created ``t``
    with ``c`` nullable (no NOT NULL, not part of the primary key).

    A column created in another file is not known here: it is not flagged. A column added by this
    file's ``ADD COLUMN`` is nullable too (DSQL's ADD COLUMN takes no NOT NULL), and DSQL cannot make a
    column NOT NULL later (``SET NOT NULL`` is DSQL403's).
    """

    code: ClassVar[str] = "DSQL116"
    name: ClassVar[str] = "identity-on-nullable-column"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A column must be NOT NULL before it can become an identity column"
    help: ClassVar[str] = (
        "declare the column NOT NULL (or part of the primary key) where the table is created; "
        "DSQL cannot add NOT NULL to an existing column"
    )

    def check(self, script: Script, ctx: Context) -> Iterator[Diagnostic]:
        nullable: dict[str, dict[str, int]] = {}  # table -> column -> line of its declaration
        for stmt in script.statements:
            if stmt.tag not in _TAGS:
                continue
            if stmt.tag == "CREATE TABLE":
                _remember(stmt, nullable)
                continue
            if stmt.tag == "DROP TABLE":
                for tok in stmt.tokens[2:]:
                    if is_name(tok):
                        nullable.pop(tok.identifier, None)
                continue
            view = alter_table(stmt)
            if view is None:
                continue
            table = stmt.tokens[view.name_stop - 1].identifier
            _alter(stmt, view, nullable.setdefault(table, {}))
            for site in identity_sites(stmt):
                if site.col is not None:
                    continue
                line = nullable.get(table, {}).get(site.column)
                if line is None:
                    continue
                yield self.report(
                    stmt,
                    stmt.tokens[site.identity.generated_index],
                    stmt.tokens[site.identity.identity_index],
                    message=f"column `{site.column}` of `{table}` was created nullable on line {line}, and an "
                    'identity column must be NOT NULL (PostgreSQL: `column "..." of relation "..." must be '
                    "declared NOT NULL before identity can be added`)",
                )


def _alter(stmt: Statement, view: AlterTable, columns: dict[str, int]) -> None:
    """Forget dropped columns; an added column is nullable (DSQL's ADD COLUMN takes no NOT NULL)."""
    tokens = stmt.tokens
    for start, stop in view.actions:
        if tokens[start].is_word("DROP"):
            j = start + 1
            if j < stop and tokens[j].is_word("COLUMN"):
                j += 1
            if j + 1 < stop and tokens[j].is_word("IF") and tokens[j + 1].is_word("EXISTS"):
                j += 2
            if j < stop and is_name(tokens[j]):
                columns.pop(tokens[j].identifier, None)
    for col in added_columns(stmt):
        words = {t.upper for t in tokens[col.type_stop : col.stop] if t.kind is WORD}
        if ("NOT" in words and "NULL" in words) or "PRIMARY" in words:
            columns.pop(col.name.identifier, None)
        else:
            columns[col.name.identifier] = stmt.source.position(col.name.start)[0]


def _remember(stmt: Statement, nullable: dict[str, dict[str, int]]) -> None:
    view = create_table(stmt)
    if view is None or view.name_stop <= view.name_start:
        return
    table = stmt.tokens[view.name_stop - 1].identifier
    columns: dict[str, int] = {}
    keyed: set[str] = set()
    tokens = stmt.tokens
    for col in view.columns:
        words = {t.upper for t in tokens[col.type_stop : col.stop] if t.kind is WORD}
        if ("NOT" in words and "NULL" in words) or "PRIMARY" in words:
            continue
        columns[col.name.identifier] = stmt.source.position(col.name.start)[0]
    for a, b in view.elements:  # table-level PRIMARY KEY (a, b)
        if tokens[a].kind is WORD and tokens[a].upper in ("PRIMARY", "CONSTRAINT"):
            at = stmt.find("PRIMARY", "KEY", start=a, stop=b)
            if at == -1:
                continue
            for tok in tokens[at + 2 : b]:
                if is_name(tok) and tok.kind is not PUNCT:
                    keyed.add(tok.identifier)
    nullable[table] = {name: line for name, line in columns.items() if name not in keyed}
