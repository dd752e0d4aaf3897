"""DSQL901 sequence-or-identity: the house forbids sequences and auto-increment columns."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import WORD, ColumnDef, alter_table, declared_columns, name_text, qualified_name_end
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.house._common import house_prefix, is_call

#: Functions that draw values from (or move) a sequence.
SEQUENCE_FUNCTIONS = frozenset({"NEXTVAL", "CURRVAL", "SETVAL", "LASTVAL"})
#: MySQL's and SQLite's auto-increment column attributes.
AUTO_INCREMENT_WORDS = frozenset({"AUTO_INCREMENT", "AUTOINCREMENT"})

NO_SEQUENCES = house_prefix("2: no sequences")
NO_AUTO_INCREMENT = house_prefix("3: no auto-increment macros")
NO_IDENTITY = house_prefix("2 and 3: no sequences, no auto-increment")


def _identity_span(stmt: Statement, i: int) -> int:
    """End index (inclusive) of ``GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY`` at ``i``, or -1."""
    words = stmt.words
    j = i + 1
    if stmt.find("ALWAYS", start=j, stop=j + 1) == j:
        j += 1
    elif stmt.find("BY", "DEFAULT", start=j, stop=j + 2) == j:
        j += 2
    else:
        return -1
    if stmt.find("AS", "IDENTITY", start=j, stop=j + 2) == j and words[j + 1] == "IDENTITY":
        return j + 1
    return -1


def _column_of(stmt: Statement, i: int, columns: list[ColumnDef]) -> str:
    """The name of the column whose definition holds token ``i`` (or that ALTER COLUMN names)."""
    for col in columns:
        if col.name_index < i < col.stop:
            return col.name.identifier
    alter = alter_table(stmt)
    if alter is not None:
        for start, stop in alter.actions:
            if start <= i < stop and stmt.tokens[start].is_word("ALTER"):
                j = start + 1
                if j < stop and stmt.tokens[j].is_word("COLUMN"):
                    j += 1
                if j < stop:
                    return stmt.tokens[j].identifier
    return "?"


class SequenceOrIdentity(StatementRule):
    """Flags sequences, sequence functions, identity columns and AUTO_INCREMENT (usage requirements 2 and 3).

    SERIAL columns are DSQL101's finding (DSQL rejects them); this rule does not
    repeat it. ALTER SEQUENCE, DROP SEQUENCE and identity maintenance (SET GENERATED,
    RESTART, DROP IDENTITY) touch what already exists and are not findings: the
    finding belongs where the sequence or identity is created or used.
    """

    code: ClassVar[str] = "DSQL901"
    name: ClassVar[str] = "sequence-or-identity"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "House rule: no sequences, identity columns or other auto-increment keys"
    help: ClassVar[str] = (
        "use a `UUID DEFAULT gen_random_uuid()` key, as in the requirements' sample table "
        "(`id UUID NOT NULL DEFAULT gen_random_uuid()`)"
    )

    #: CREATE SEQUENCE, a sequence function call, GENERATED ... AS IDENTITY or AUTO_INCREMENT.
    words: ClassVar[frozenset[str] | None] = (
        frozenset({"SEQUENCE", "GENERATED"}) | SEQUENCE_FUNCTIONS | AUTO_INCREMENT_WORDS
    )

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        yield from self._create_sequence(stmt)
        yield from self._sequence_calls(stmt)
        if stmt.tag in ("CREATE TABLE", "ALTER TABLE"):
            yield from self._identities(stmt)

    def _create_sequence(self, stmt: Statement) -> Iterator[Diagnostic]:
        if stmt.tag != "CREATE SEQUENCE":
            return
        i = stmt.find("SEQUENCE", depth=0)
        if i == -1:
            return
        j = i + 1
        if stmt.find("IF", "NOT", "EXISTS", start=j, stop=j + 3) == j:
            j += 3
        name = name_text(stmt, j, qualified_name_end(stmt, j)) or "?"
        yield self.report(
            stmt,
            stmt.tokens[0],
            stmt.tokens[i],
            message=f"{NO_SEQUENCES}CREATE SEQUENCE `{name}` creates a sequence",
        )

    def _sequence_calls(self, stmt: Statement) -> Iterator[Diagnostic]:
        tokens = stmt.tokens
        for i, tok in enumerate(tokens):
            if tok.kind is not WORD or tok.upper not in SEQUENCE_FUNCTIONS or not is_call(stmt, i):
                continue
            if i >= 2 and tokens[i - 1].text == "." and not tokens[i - 2].is_word("PG_CATALOG"):
                continue  # another schema's function that happens to share the name
            if i >= 1 and tokens[i - 1].is_word("FUNCTION", "PROCEDURE", "ROUTINE"):
                continue  # CREATE/DROP FUNCTION nextval(...) defines or drops a function, it does not call one
            yield self.report(
                stmt,
                tok,
                message=f"{NO_SEQUENCES}{tok.text}() reads or moves a sequence",
            )

    def _identities(self, stmt: Statement) -> Iterator[Diagnostic]:
        columns = declared_columns(stmt)
        tokens = stmt.tokens
        for i, tok in enumerate(tokens):
            if tok.kind is not WORD:
                continue
            if tok.upper == "GENERATED":
                last = _identity_span(stmt, i)
                if last == -1:
                    continue  # GENERATED ALWAYS AS (expr) STORED, or SET GENERATED on an existing identity
                column = _column_of(stmt, i, columns)
                yield self.report(
                    stmt,
                    tok,
                    tokens[last],
                    message=f"{NO_IDENTITY}column `{column}` is an identity column, "
                    "which draws its values from a sequence",
                )
            elif tok.upper in AUTO_INCREMENT_WORDS and any(c.type_stop <= i < c.stop for c in columns):
                column = _column_of(stmt, i, columns)
                yield self.report(
                    stmt,
                    tok,
                    message=f"{NO_AUTO_INCREMENT}column `{column}` is declared {tok.text}, "
                    "a MySQL auto-increment attribute",
                )
