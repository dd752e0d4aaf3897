"""DSQL216 tablespace-clause: TABLESPACE clauses name something DSQL does not have."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import alter_table, create_index, create_table, is_name, name_text
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import remove_clause

_STATEMENTS = ("CREATE TABLE", "CREATE INDEX", "ALTER TABLE")


def clause_start(stmt: Statement) -> int:
    """Index from where a table-level TABLESPACE clause can appear (after the column or key list)."""
    table = create_table(stmt)
    if table is not None:
        return table.tail_start
    index = create_index(stmt)
    if index is not None:
        return index.close_paren + 1 if index.close_paren != -1 else len(stmt.tokens)
    return 0


def subject(stmt: Statement) -> str:
    """``table `t``` or ``index `i```: what the statement creates or alters."""
    table = create_table(stmt) or alter_table(stmt)
    if table is not None:
        return f"table `{name_text(stmt, table.name_start, table.name_stop)}`"
    index = create_index(stmt)
    return f"index `{index.name}`" if index is not None else "the statement"


class TablespaceClause(StatementRule):
    """Flags ``TABLESPACE x`` and ``USING INDEX TABLESPACE x`` in CREATE TABLE, CREATE INDEX and ALTER TABLE."""

    code: ClassVar[str] = "DSQL216"
    name: ClassVar[str] = "tablespace-clause"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "TABLESPACE clauses are not supported by DSQL"
    help: ClassVar[str] = "remove the TABLESPACE clause: DSQL manages storage itself and has no tablespaces"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = frozenset(_STATEMENTS)
    #: Every finding is a TABLESPACE clause.
    words: ClassVar[frozenset[str] | None] = frozenset({"TABLESPACE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _STATEMENTS:
            return
        tokens = stmt.tokens
        for i, tok in enumerate(tokens):
            if not tok.is_word("TABLESPACE") or i + 1 >= len(tokens) or not is_name(tokens[i + 1]):
                continue
            first = i
            if i >= 2 and tokens[i - 1].is_word("INDEX") and tokens[i - 2].is_word("USING"):
                first = i - 2
            elif stmt.depths[i] != 0 or i < clause_start(stmt):
                continue  # a column named tablespace, not the clause
            is_set = first > 0 and tokens[first - 1].is_word("SET") and stmt.tag == "ALTER TABLE"
            if stmt.tag == "ALTER TABLE" and first == i and not is_set:
                continue
            name = name_text(stmt, i + 1, i + 2)
            clause = " ".join(t.upper for t in tokens[first : i + 1])
            yield self.report(
                stmt,
                tokens[first],
                tokens[i + 1],
                message=f"{subject(stmt)} uses {'SET ' if is_set else ''}{clause} {name}; DSQL has no tablespaces",
                fix=None
                if is_set
                else fix(
                    f"Remove {clause} {name}",
                    FixSafety.UNSAFE,
                    remove_clause(stmt.source, tokens[first], tokens[i + 1]),
                ),
            )
