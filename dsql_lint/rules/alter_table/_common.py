"""ALTER TABLE action anatomy shared by the ALTER TABLE rules.

An action is a token range ``[start, stop)`` from :func:`dsql_lint.frontend.syntax.alter_table`.
These helpers name what an action does and where its parts are, from tokens only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from dsql_lint.frontend.syntax import WORD, AlterTable, alter_table, is_name, name_text, qualified_name_end
from dsql_lint.model import Statement
from dsql_lint.records import Record

#: Words that start a column constraint or a column option after the type.
CLAUSE_WORDS = frozenset(
    {
        "CONSTRAINT",
        "NOT",
        "NULL",
        "DEFAULT",
        "CHECK",
        "UNIQUE",
        "PRIMARY",
        "REFERENCES",
        "GENERATED",
        "COLLATE",
        "STORAGE",
        "COMPRESSION",
        "DEFERRABLE",
        "INITIALLY",
    }
)


def actions(stmt: Statement) -> Iterator[tuple[AlterTable, int, int]]:
    """Every action of an ALTER TABLE statement as ``(view, start, stop)``; nothing for other statements."""
    view = alter_table(stmt)
    if view is None:
        return
    for start, stop in view.actions:
        yield view, start, stop


def table_name(view: AlterTable) -> str:
    """The altered table's name as written."""
    return name_text(view.stmt, view.name_start, view.name_stop)


def word_at(stmt: Statement, i: int, stop: int) -> str:
    """The upper-cased word at ``i`` (empty past ``stop`` or for non-words)."""
    if i >= stop or i >= len(stmt.tokens):
        return ""
    tok = stmt.tokens[i]
    return tok.upper if tok.kind is WORD else ""


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class AlterColumn(Record):
    """``ALTER [COLUMN] name <sub-action>``: the column token and where its sub-action starts."""

    column_index: int
    sub_start: int

    def __init__(self, column_index: int, sub_start: int) -> None:
        self.column_index = column_index
        self.sub_start = sub_start


def alter_column(stmt: Statement, start: int, stop: int) -> AlterColumn | None:
    """View an ``ALTER [COLUMN] name ...`` action (not ``ALTER CONSTRAINT``), else None."""
    if word_at(stmt, start, stop) != "ALTER":
        return None
    j = start + 1
    second = word_at(stmt, j, stop)
    if second == "CONSTRAINT":
        return None
    if second == "COLUMN":
        j += 1
    if j >= stop or not is_name(stmt.tokens[j]):
        return None
    return AlterColumn(j, j + 1)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class AddedConstraint(Record):
    """``ADD [CONSTRAINT name] CHECK|FOREIGN KEY|PRIMARY KEY|UNIQUE|EXCLUDE ...``."""

    name_index: int  # the constraint's name, or -1
    kind_index: int  # CHECK, FOREIGN, PRIMARY, UNIQUE or EXCLUDE
    not_valid_index: int  # NOT of NOT VALID, or -1
    stop: int

    def __init__(self, name_index: int, kind_index: int, not_valid_index: int, stop: int) -> None:
        self.name_index = name_index
        self.kind_index = kind_index
        self.not_valid_index = not_valid_index
        self.stop = stop

    def kind(self, stmt: Statement) -> str:
        """``CHECK``, ``FOREIGN KEY``, ``PRIMARY KEY``, ``UNIQUE`` or ``EXCLUDE``."""
        word = stmt.words[self.kind_index]
        return {"FOREIGN": "FOREIGN KEY", "PRIMARY": "PRIMARY KEY"}.get(word, word)


def added_constraint(stmt: Statement, start: int, stop: int) -> AddedConstraint | None:
    """View an ``ADD [CONSTRAINT name] <table constraint>`` action, else None."""
    if word_at(stmt, start, stop) != "ADD":
        return None
    j = start + 1
    name_index = -1
    if word_at(stmt, j, stop) == "CONSTRAINT":
        if j + 1 >= stop or not is_name(stmt.tokens[j + 1]):
            return None
        name_index = j + 1
        j += 2
    if word_at(stmt, j, stop) not in ("CHECK", "FOREIGN", "PRIMARY", "UNIQUE", "EXCLUDE"):
        return None
    not_valid = stmt.find("NOT", "VALID", start=j, stop=stop, depth=stmt.depths[start])
    return AddedConstraint(name_index, j, not_valid, stop)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Clause(Record):
    """One clause after a column's type: ``[CONSTRAINT n] DEFAULT expr``, ``NOT NULL``, ``CHECK (...)`` ..."""

    start: int  # first token (CONSTRAINT when the clause is named)
    word_index: int  # the word that says what it is (DEFAULT, NOT, CHECK ...)
    stop: int

    def __init__(self, start: int, word_index: int, stop: int) -> None:
        self.start = start
        self.word_index = word_index
        self.stop = stop

    def kind(self, stmt: Statement) -> str:
        """The clause's leading word (``NOT NULL`` and ``NOT DEFERRABLE`` spelled out)."""
        word = stmt.words[self.word_index]
        if word == "NOT" and self.word_index + 1 < self.stop:
            return f"NOT {stmt.words[self.word_index + 1]}"
        if word == "PRIMARY":
            return "PRIMARY KEY"
        return word


def column_clauses(stmt: Statement, start: int, stop: int) -> list[Clause]:
    """Split a column's constraint range into clauses (depth-aware, keyword-in-expression aware)."""
    tokens = stmt.tokens
    depths = stmt.depths
    if start >= stop:
        return []
    base = depths[start]
    starts: list[int] = []
    current = ""
    last_start = constraint_at = -2
    for i in range(start, stop):
        tok = tokens[i]
        if depths[i] != base or tok.kind is not WORD or tok.upper not in CLAUSE_WORDS:
            continue
        word = tok.upper
        prev = tokens[i - 1].upper if i > start else ""
        if i == last_start + 1 and current in ("DEFAULT", "COLLATE", "STORAGE", "COMPRESSION"):
            continue  # the value right after DEFAULT/COLLATE ...: DEFAULT NULL
        if i == constraint_at + 1:
            continue  # the constraint's name
        if (word == "NULL" and prev in ("NOT", "SET")) or (word == "DEFAULT" and prev in ("BY", "SET")):
            continue
        if word == "NOT" and (i + 1 >= stop or tokens[i + 1].upper not in ("NULL", "DEFERRABLE")):
            continue
        current, last_start = word, i
        if i == constraint_at + 2:
            continue  # CONSTRAINT name <word>: the clause started at CONSTRAINT
        starts.append(i)
        if word == "CONSTRAINT":
            constraint_at = i
    clauses = []
    for k, first in enumerate(starts):
        last = starts[k + 1] if k + 1 < len(starts) else stop
        word_index = first + 2 if tokens[first].upper == "CONSTRAINT" and first + 2 < last else first
        clauses.append(Clause(first, word_index, last))
    return clauses


def statement_end(stmt: Statement) -> int:
    """Character offset just past the statement (after its ``;`` when it has one)."""
    if stmt.terminator is not None:
        return stmt.terminator.end
    return stmt.tokens[-1].end if stmt.tokens else stmt.end


def quoted_table_for_new_statement(view: AlterTable) -> str:
    """The table reference to repeat in a new statement (``ONLY``/``IF EXISTS`` dropped)."""
    return name_text(view.stmt, view.name_start, qualified_name_end(view.stmt, view.name_start))


def identifier_text(name: str) -> str:
    """``name`` as SQL: bare when it is a plain lower-case identifier, double-quoted otherwise."""
    if name and (name[0].isalpha() or name[0] == "_") and all(c.isalnum() or c == "_" for c in name) and name.islower():
        return name
    return '"' + name.replace('"', '""') + '"'


def last_identifier(view: AlterTable) -> str:
    """The unqualified table name (PostgreSQL-folded), for naming new objects after it."""
    tok = view.stmt.tokens[max(view.name_stop - 1, view.name_start)]
    return tok.identifier


def leading_words(stmt: Statement, start: int, stop: int, patterns: tuple[tuple[str, ...], ...]) -> int:
    """Length of the first pattern the action starts with (0 when none matches)."""
    for pattern in patterns:
        if all(word_at(stmt, start + k, stop) == w for k, w in enumerate(pattern)):
            return len(pattern)
    return 0
