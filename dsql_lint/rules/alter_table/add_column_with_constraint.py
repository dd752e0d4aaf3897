"""DSQL401 add-column-with-constraint: DSQL's ADD COLUMN takes a name and a type, nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import delete_tokens, fix
from dsql_lint.frontend.syntax import AlterTable, ColumnDef, added_column, name_text
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity, Statement
from dsql_lint.rules.alter_table._common import (
    CLAUSE_WORDS,
    Clause,
    actions,
    column_clauses,
    identifier_text,
    last_identifier,
    statement_end,
    table_name,
)
from dsql_lint.rules.api import Context, StatementRule

#: Column options that are not constraints (COLLATE is reported by the COLLATE rule of the objects family).
_NOT_CONSTRAINTS = frozenset({"STORAGE", "COMPRESSION", "COLLATE", "NULL"})


class AddColumnWithConstraint(StatementRule):
    """Flags ``ALTER TABLE ... ADD COLUMN`` with DEFAULT, NOT NULL, CHECK, UNIQUE, PRIMARY KEY,
    REFERENCES or GENERATED (identity or stored). A plain ``ADD COLUMN name type`` is accepted."""

    code: ClassVar[str] = "DSQL401"
    name: ClassVar[str] = "add-column-with-constraint"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE ADD COLUMN cannot carry a default or any constraint in DSQL"
    help: ClassVar[str] = (
        "add the bare column first, then add the rest in later statements: "
        "ALTER COLUMN ... SET DEFAULT, ADD CONSTRAINT ... CHECK (...) NOT VALID, CREATE UNIQUE INDEX ASYNC; "
        "or define the column in CREATE TABLE"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: A finding is a clause of an added column that starts with one of these words (a named
    #: constraint with CONSTRAINT); a plain ``ADD COLUMN name type`` has none of them.
    words: ClassVar[frozenset[str] | None] = CLAUSE_WORDS - _NOT_CONSTRAINTS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            column = added_column(stmt, start, stop)
            if column is None:
                continue
            clauses = column_clauses(stmt, *column.constraint_range)
            bad = [c for c in clauses if c.kind(stmt) not in _NOT_CONSTRAINTS]
            if not bad:
                continue
            kinds = ", ".join(dict.fromkeys(c.kind(stmt) for c in bad))
            yield self.report(
                stmt,
                stmt.tokens[bad[0].start],
                stmt.tokens[bad[-1].stop - 1],
                message=f"column `{column.name.text}` is added to `{table_name(view)}` with {kinds}; "
                "DSQL's ADD COLUMN accepts no default and no constraint",
                fix=self._split_fix(stmt, view, column, bad),
            )

    def _split_fix(self, stmt: Statement, view: AlterTable, column: ColumnDef, bad: list[Clause]) -> Fix | None:
        """Move DEFAULT and NOT NULL into statements that DSQL accepts after the column exists."""
        if len(view.actions) != 1 or any(c.kind(stmt) not in ("DEFAULT", "NOT NULL") for c in bad):
            return None
        if any(c.word_index + 1 >= c.stop for c in bad if c.kind(stmt) == "DEFAULT"):
            return None  # DEFAULT without an expression: nothing to move
        table = table_name(view)
        col = identifier_text(column.name.identifier)
        later = []
        for clause in bad:
            if clause.kind(stmt) == "DEFAULT":
                expr = stmt.source.text[stmt.tokens[clause.word_index + 1].start : stmt.tokens[clause.stop - 1].end]
                later.append(f"ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {expr};")
        for clause in bad:
            if clause.kind(stmt) == "NOT NULL":
                constraint = identifier_text(f"{last_identifier(view)}_{column.name.identifier}_not_null")
                later.append(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} CHECK ({col} IS NOT NULL) NOT VALID;")
        prefix = "" if stmt.terminator is not None else ";"
        end = statement_end(stmt)
        edits = [delete_tokens(stmt.source, stmt.tokens[c.start], stmt.tokens[c.stop - 1]) for c in bad]
        tail = prefix + "".join("\n" + s for s in later)
        if edits[-1].end == end:  # no terminator: one edit, so the insertion cannot be ordered wrongly
            edits[-1] = Edit(edits[-1].start, end, tail)
        else:
            edits.append(Edit(end, end, tail))
        return fix(
            f"Add `{name_text(stmt, column.name_index, column.name_index + 1)}` bare, then set the default / "
            "add a NOT VALID check in later statements (existing rows stay NULL until you backfill them)",
            FixSafety.UNSAFE,
            *edits,
        )
