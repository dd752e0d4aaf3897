"""Structural views of statements built from tokens: table elements, columns, index keys, ALTER actions.

These give rules exact token positions (the ``SERIAL`` type, the ``DESC`` keyword)
that sqlglot's tree does not keep, and they work on statements sqlglot could not
parse or turned into a bare ``Command``. Token indexes are into ``stmt.tokens``;
ranges are half-open ``[start, stop)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dsql_lint.model import Statement, index_of
from dsql_lint.records import NEW, Record

# The kinds as module constants (see dsql_lint.text.lexer), given to the rules from here too.
from dsql_lint.text.lexer import NUMBER as NUMBER  # re-exported for the rules
from dsql_lint.text.lexer import OP as OP
from dsql_lint.text.lexer import PUNCT as PUNCT
from dsql_lint.text.lexer import QIDENT as QIDENT
from dsql_lint.text.lexer import STRING as STRING
from dsql_lint.text.lexer import WORD as WORD
from dsql_lint.text.lexer import Token

_V = TypeVar("_V")


def per_statement(view: Callable[[Statement], _V]) -> Callable[[Statement], _V]:
    """Compute a statement's view once: dozens of rules ask for the same CREATE TABLE view.

    The result is kept on the statement (keyed by the view and the statement's tag, which the
    view depends on), so it lives exactly as long as the statement. Views are read-only by
    convention. Rule modules decorate their own shared views with it too.
    """
    name = f"{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def cached(stmt: Statement) -> _V:
        memo: dict[str, tuple[str, Any]] | None = stmt._views
        if memo is None:
            memo = stmt._views = {}
        # Keyed by the view alone, the tag kept beside the value: a (view, tag) key was a tuple
        # made and hashed per read (60,000 reads in a cold folder run).
        tag = stmt.tag
        entry = memo.get(name)
        if entry is not None and entry[0] == tag:
            found: _V = entry[1]
            return found
        found = view(stmt)
        memo[name] = (tag, found)
        return found

    return cached


def drop_views(statements: Iterable[Statement]) -> None:
    """Forget the views :func:`per_statement` kept on ``statements`` (they are computed again if asked for).

    A view points back at its statement, so a statement with views is part of a reference
    cycle, which plain reference counting never frees: only the cyclic garbage collector does,
    by walking every object of every file linted since it last ran (about a tenth of a cold
    run). Dropping the views once a file is done lets its statements and tokens go at once.
    """
    for stmt in statements:
        stmt._views = None


#: Words that end a column's type and start its constraints.
COLUMN_CONSTRAINT_WORDS = frozenset(
    {
        "CONSTRAINT",
        "NOT",
        "NULL",
        "DEFAULT",
        "PRIMARY",
        "UNIQUE",
        "CHECK",
        "REFERENCES",
        "GENERATED",
        "COLLATE",
        "STORAGE",
        "COMPRESSION",
        "DEFERRABLE",
        "INITIALLY",
        "AUTO_INCREMENT",
        "ON",
    }
)
#: The tags of the statements that can declare columns: :func:`declared_columns` is empty for any other.
COLUMN_TAGS = frozenset({"CREATE TABLE", "ALTER TABLE"})
#: Words that start a table constraint rather than a column definition.
TABLE_CONSTRAINT_WORDS = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"})


#: The kinds of a token that can name something (:func:`is_name`, for a test inlined where it runs per token).
NAME_KINDS = (WORD, QIDENT)


def is_name(tok: Token) -> bool:
    """True for a token that can name something (a word or a quoted identifier)."""
    return tok.kind is WORD or tok.kind is QIDENT


#: Statements of more tokens than this get no :func:`word_set` (a big INSERT's set would be
#: millions of strings); :func:`mentions` is then always true.
WORD_SET_MAX = 4096


@per_statement
def word_set(stmt: Statement) -> frozenset[str] | None:
    """The statement's :attr:`~dsql_lint.model.Statement.words` as a set, when every name in it is
    one of them upper-cased; None when that cannot be told so cheaply.

    A name is an unquoted word (its word is its text upper-cased) or a quoted identifier (its word
    is its text, quotes included). So the set is given only for a statement whose text has no
    double quote (no quoted identifier) and only ASCII characters (PostgreSQL's folding and
    Python's ``upper`` agree), and of at most :data:`WORD_SET_MAX` tokens.
    """
    words = stmt.words
    if len(words) > WORD_SET_MAX:
        return None
    text = stmt.source.text[stmt.start : stmt.end]
    if not text.isascii() or '"' in text:
        return None
    return frozenset(words)


def mentions(stmt: Statement, words: frozenset[str]) -> bool:
    """False only when no name and no punctuation of the statement is one of ``words``
    (upper-cased): a test in C that lets a rule skip a statement it cannot report on.

    True whenever it cannot tell (:func:`word_set`), so a rule that returns when this is false
    still sees every statement it could report on.
    """
    found = word_set(stmt)
    return found is None or not words.isdisjoint(found)


def split_commas(stmt: Statement, start: int, stop: int) -> list[tuple[int, int]]:
    """Split ``[start, stop)`` on commas at the depth of ``start``; empty parts are dropped."""
    if start >= stop:
        return []
    depths = stmt.depths
    tokens = stmt.tokens
    base = depths[start]
    parts = []
    first = start
    for i in _positions_of(stmt.words, ",", start, stop):
        if depths[i] == base and tokens[i].kind is PUNCT:
            if i > first:
                parts.append((first, i))
            first = i + 1
    if stop > first:
        parts.append((first, stop))
    return parts


def _positions_of(words: Sequence[str], word: str, start: int, stop: int) -> list[int]:
    """Indexes in ``[start, stop)`` where ``words`` holds ``word``, found in C (a list: see
    :func:`dsql_lint.model.index_of`)."""
    if start < 0:  # list.index reads a negative bound from the end; keep range()'s meaning
        return [i for i in range(start, stop) if words[i] == word]
    found: list[int] = []
    i = index_of(words, word, start, stop)
    while i != -1:
        found.append(i)
        i = index_of(words, word, i + 1, stop)
    return found


def closing(stmt: Statement, index: int) -> int:
    """:meth:`Statement.closing` (the token closing the bracket at ``index``, or the last token), faster.

    It jumps between the ``)`` and ``]`` tokens in C instead of testing every token in Python.
    """
    if index < 0:
        return stmt.closing(index)
    depths = stmt.depths
    tokens = stmt.tokens
    words = stmt.words
    target = depths[index]
    found = len(tokens)
    plain = type(words) is list  # (a big statement's words: no search from its start, see Statement.find)
    for closer in (")", "]"):
        if plain and closer not in words:  # answered without the ValueError of a failed search
            continue
        i = index_of(words, closer, index + 1, found)  # the first closer at the bracket's depth
        while i != -1:
            if depths[i] == target and tokens[i].kind is PUNCT:
                found = i
                break
            i = index_of(words, closer, i + 1, found)
    return found if found < len(tokens) else len(tokens) - 1


def qualified_name_end(stmt: Statement, i: int) -> int:
    """Index just past a possibly schema-qualified name starting at ``i``."""
    tokens = stmt.tokens
    n = len(tokens)
    if i >= n or tokens[i].kind not in NAME_KINDS:  # is_name, inlined
        return i
    j = i + 1
    while j + 1 < n and tokens[j].text == "." and tokens[j].kind is PUNCT and tokens[j + 1].kind in NAME_KINDS:
        j += 2
    return j


def name_text(stmt: Statement, start: int, stop: int) -> str:
    """The source text of tokens ``[start, stop)`` joined without spaces (for names)."""
    return "".join(t.text for t in stmt.tokens[start:stop])


# --------------------------------------------------------------------------- columns


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class ColumnDef(Record):
    """A column definition: ``name type [constraints...]`` inside CREATE TABLE or ADD COLUMN."""

    stmt: Statement
    name_index: int
    type_start: int
    type_stop: int
    stop: int

    def __init__(self, stmt: Statement, name_index: int, type_start: int, type_stop: int, stop: int) -> None:
        self.stmt = stmt
        self.name_index = name_index
        self.type_start = type_start
        self.type_stop = type_stop
        self.stop = stop

    @property
    def name(self) -> Token:
        """The column name token."""
        return self.stmt.tokens[self.name_index]

    @property
    def type_tokens(self) -> Sequence[Token]:
        """Tokens of the declared type, e.g. ``character varying ( 20 ) [ ]``."""
        return self.stmt.tokens[self.type_start : self.type_stop]

    @property
    def type_words(self) -> list[str]:
        """Upper-cased words of the type name, without modifiers or array brackets."""
        words = []
        for tok in self.type_tokens:
            if tok.kind is PUNCT and tok.text in "([":
                break
            if is_name(tok):
                words.append(tok.upper if tok.kind is WORD else tok.identifier.upper())
        return words

    @property
    def constraint_range(self) -> tuple[int, int]:
        """Token range of the column constraints after the type."""
        return self.type_stop, self.stop


def _type_stop(stmt: Statement, start: int, stop: int) -> int:
    depths = stmt.depths
    words = stmt.words  # a word token's entry is its upper-cased text
    tokens = stmt.tokens
    base = depths[start] if start < len(depths) else 0
    for i in range(start, stop):
        word = words[i]
        if word in COLUMN_CONSTRAINT_WORDS and depths[i] == base and tokens[i].kind is WORD:
            if word == "ON" and not (i + 1 < stop and words[i + 1] == "UPDATE"):
                continue
            return i
    return stop


def column_def(stmt: Statement, start: int, stop: int) -> ColumnDef | None:
    """Read ``[start, stop)`` as a column definition, or None if it is a table constraint."""
    if start >= stop:
        return None
    first = stmt.tokens[start]
    if not is_name(first):
        return None
    if first.kind is WORD and first.upper in TABLE_CONSTRAINT_WORDS:
        return None
    type_start = start + 1
    if type_start >= stop:
        return None
    return ColumnDef(stmt, start, type_start, _type_stop(stmt, type_start, stop), stop)


# --------------------------------------------------------------------------- CREATE TABLE


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class CreateTable(Record):
    """The parts of a CREATE TABLE statement."""

    stmt: Statement
    table_index: int  # the TABLE keyword
    name_start: int
    name_stop: int
    open_paren: int  # -1 when the table has no element list (AS SELECT, OF type, PARTITION OF ...)
    close_paren: int
    elements: list[tuple[int, int]] = field(default_factory=list)
    #: Where a column's type would stop in each element (see :func:`_element_list`), when known.
    type_stops: list[int] | None = field(default=None, repr=False)
    #: :attr:`columns`, once read.
    _columns: list[ColumnDef] | None = field(default=None, init=False, repr=False, compare=False)

    def __init__(
        self,
        stmt: Statement,
        table_index: int,
        name_start: int,
        name_stop: int,
        open_paren: int,
        close_paren: int,
        elements: list[tuple[int, int]] = NEW,
        type_stops: list[int] | None = None,
    ) -> None:
        self.stmt = stmt
        self.table_index = table_index
        self.name_start = name_start
        self.name_stop = name_stop
        self.open_paren = open_paren
        self.close_paren = close_paren
        self.elements = [] if elements is NEW else elements
        self.type_stops = type_stops
        self._columns = None

    @property
    def columns(self) -> list[ColumnDef]:
        """The column definitions (table constraints left out), made on first read.

        A plain attribute test, not ``functools.cached_property``: on Python 3.11 that takes a
        lock on every read (about 1 us; a cold folder run read it 6,000 times).
        """
        found = self._columns
        if found is None:
            found = self._columns = self._read_columns()
        return found

    def _read_columns(self) -> list[ColumnDef]:
        found = []
        stmt = self.stmt
        if self.type_stops is None:
            for start, stop in self.elements:
                col = column_def(stmt, start, stop)
                if col is not None:
                    found.append(col)
            return found
        tokens = stmt.tokens
        for (start, stop), type_stop in zip(self.elements, self.type_stops, strict=True):
            first = tokens[start]  # column_def's tests, with the type's end already known
            kind = first.kind
            if start + 1 < stop and (kind is QIDENT or (kind is WORD and first.upper not in TABLE_CONSTRAINT_WORDS)):
                found.append(ColumnDef(stmt, start, start + 1, type_stop, stop))
        return found

    @property
    def tail_start(self) -> int:
        """Index of the first token after the element list (or after the name)."""
        return self.close_paren + 1 if self.open_paren != -1 else self.name_stop


@per_statement
def create_table(stmt: Statement) -> CreateTable | None:
    """View a ``CREATE [TEMP|UNLOGGED] TABLE`` statement, or None for any other statement."""
    if stmt.tag != "CREATE TABLE":
        return None
    i = stmt.find("TABLE")
    if i == -1:
        return None
    j = i + 1
    if stmt.find("IF", "NOT", "EXISTS", start=j, stop=j + 3) == j:
        j += 3
    name_stop = qualified_name_end(stmt, j)
    tokens = stmt.tokens
    if name_stop < len(tokens) and tokens[name_stop].text == "(" and tokens[name_stop].kind is PUNCT:
        listed = _element_list(stmt, name_stop)
        if listed is not None:
            close, elements, type_stops = listed
            return CreateTable(stmt, i, j, name_stop, name_stop, close, elements, type_stops)
        close = closing(stmt, name_stop)  # never closed: what closing() and split_commas() make of it
        elements = split_commas(stmt, name_stop + 1, close)
        return CreateTable(stmt, i, j, name_stop, name_stop, close, elements)
    return CreateTable(stmt, i, j, name_stop, -1, -1, [])


#: The words :func:`_element_list` stops at: brackets, commas and the words that end a column's type.
_ELEMENT_MARKS = COLUMN_CONSTRAINT_WORDS | {"(", "[", ")", "]", ","}


def _element_list(stmt: Statement, open_index: int) -> tuple[int, list[tuple[int, int]], list[int]] | None:
    """Read the element list opened at ``open_index`` in one pass; None when it is never closed.

    Gives what :func:`closing`, :func:`split_commas` and :func:`_type_stop` give together
    (the closing token; the non-empty comma-separated elements at the list's depth; where a
    column type would stop in each element: its first constraint word after the element's
    first token, at the element's depth, else the element's end), reading each token once
    and testing only the tokens that can matter (one set lookup for the others).
    """
    tokens = stmt.tokens
    words = stmt.words
    n = len(tokens)
    marks = _ELEMENT_MARKS
    elements: list[tuple[int, int]] = []
    type_stops: list[int] = []
    first = open_index + 1
    constraint = -1
    depth = 0
    for i in range(first, n):
        word = words[i]
        if word not in marks:
            continue
        kind = tokens[i].kind
        if kind is PUNCT:
            if word == "(" or word == "[":
                depth += 1
            elif word == "," or depth == 0:  # a comma, or the bracket closing the list
                if depth:
                    continue
                if i > first:
                    elements.append((first, i))
                    type_stops.append(i if constraint == -1 else constraint)
                if word != ",":
                    return i, elements, type_stops
                first = i + 1
                constraint = -1
            else:
                depth -= 1
        elif depth == 0 and constraint == -1 and i > first and kind is WORD:
            if word == "ON" and not (i + 1 < n and words[i + 1] == "UPDATE"):
                continue
            constraint = i
    return None


# --------------------------------------------------------------------------- ALTER TABLE


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class AlterTable(Record):
    """The parts of an ALTER TABLE statement: its name and comma-separated actions."""

    stmt: Statement
    table_index: int
    async_index: int  # DSQL's ALTER TABLE ASYNC, or -1
    name_start: int
    name_stop: int
    actions: list[tuple[int, int]]

    def __init__(
        self,
        stmt: Statement,
        table_index: int,
        async_index: int,
        name_start: int,
        name_stop: int,
        actions: list[tuple[int, int]],
    ) -> None:
        self.stmt = stmt
        self.table_index = table_index
        self.async_index = async_index
        self.name_start = name_start
        self.name_stop = name_stop
        self.actions = actions


@per_statement
def alter_table(stmt: Statement) -> AlterTable | None:
    """View an ``ALTER TABLE`` statement, or None for any other statement."""
    if stmt.tag != "ALTER TABLE":
        return None
    i = stmt.find("TABLE")
    if i == -1:
        return None
    j = i + 1
    async_index = -1
    if j < len(stmt.tokens) and stmt.tokens[j].is_word("ASYNC"):
        async_index = j
        j += 1
    if stmt.find("IF", "EXISTS", start=j, stop=j + 2) == j:
        j += 2
    if j < len(stmt.tokens) and stmt.tokens[j].is_word("ONLY"):
        j += 1
    name_stop = qualified_name_end(stmt, j)
    k = name_stop
    if k < len(stmt.tokens) and stmt.tokens[k].text == "*":
        k += 1
    return AlterTable(stmt, i, async_index, j, name_stop, split_commas(stmt, k, len(stmt.tokens)))


def added_column(stmt: Statement, start: int, stop: int) -> ColumnDef | None:
    """The column of an ``ADD [COLUMN] [IF NOT EXISTS] name type ...`` action, else None."""
    if start >= stop or not stmt.tokens[start].is_word("ADD"):
        return None
    j = start + 1
    if j < stop and stmt.tokens[j].is_word("COLUMN"):
        j += 1
    elif j < stop and stmt.tokens[j].kind is WORD and stmt.tokens[j].upper in TABLE_CONSTRAINT_WORDS:
        return None
    if stmt.find("IF", "NOT", "EXISTS", start=j, stop=j + 3) == j:
        j += 3
    return column_def(stmt, j, stop)


def declared_columns(stmt: Statement, *, include_added: bool = True) -> list[ColumnDef]:
    """Columns defined by a CREATE TABLE, and (optionally) added by ALTER TABLE ... ADD COLUMN.

    The same list (and the same column objects) on every call for a statement: read-only.
    """
    table = create_table(stmt)
    if table is not None:
        return table.columns
    return added_columns(stmt) if include_added else []


@per_statement
def added_columns(stmt: Statement) -> list[ColumnDef]:
    """The columns of an ALTER TABLE statement's ``ADD [COLUMN]`` actions (empty for other statements)."""
    alter = alter_table(stmt)
    if alter is None:
        return []
    found = []
    for start, stop in alter.actions:
        col = added_column(stmt, start, stop)
        if col is not None:
            found.append(col)
    return found


# --------------------------------------------------------------------------- CREATE INDEX


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class IndexKey(Record):
    """One key of an index: ``column | (expression) | function(...)`` and its options."""

    start: int
    stop: int
    sort_index: int  # ASC or DESC keyword, or -1
    nulls_index: int  # NULLS keyword, or -1

    def __init__(self, start: int, stop: int, sort_index: int, nulls_index: int) -> None:
        self.start = start
        self.stop = stop
        self.sort_index = sort_index
        self.nulls_index = nulls_index


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class CreateIndex(Record):
    """The parts of a CREATE INDEX statement."""

    stmt: Statement
    unique_index: int
    index_index: int  # the INDEX keyword
    async_index: int
    concurrently_index: int
    name_start: int  # -1 for an unnamed index
    name_stop: int
    on_index: int
    using_index: int  # the method word after USING, or -1
    open_paren: int
    close_paren: int
    keys: list[IndexKey]

    def __init__(
        self,
        stmt: Statement,
        unique_index: int,
        index_index: int,
        async_index: int,
        concurrently_index: int,
        name_start: int,
        name_stop: int,
        on_index: int,
        using_index: int,
        open_paren: int,
        close_paren: int,
        keys: list[IndexKey],
    ) -> None:
        self.stmt = stmt
        self.unique_index = unique_index
        self.index_index = index_index
        self.async_index = async_index
        self.concurrently_index = concurrently_index
        self.name_start = name_start
        self.name_stop = name_stop
        self.on_index = on_index
        self.using_index = using_index
        self.open_paren = open_paren
        self.close_paren = close_paren
        self.keys = keys

    @property
    def name(self) -> str:
        """The index name as written, or ``(unnamed)``."""
        if self.name_start == -1:
            return "(unnamed)"
        return name_text(self.stmt, self.name_start, self.name_stop)

    @property
    def table(self) -> str:
        """The indexed table's name as written."""
        j = self.on_index + 1
        if j < len(self.stmt.tokens) and self.stmt.tokens[j].is_word("ONLY"):
            j += 1
        return name_text(self.stmt, j, qualified_name_end(self.stmt, j))


@per_statement
def create_index(stmt: Statement) -> CreateIndex | None:
    """View a ``CREATE [UNIQUE] INDEX`` statement, or None for any other statement."""
    if stmt.tag != "CREATE INDEX":
        return None
    tokens = stmt.tokens
    i = stmt.find("INDEX", depth=0)
    if i == -1:
        return None
    unique = i - 1 if i > 0 and tokens[i - 1].is_word("UNIQUE") else -1
    j = i + 1
    async_index = concurrently = -1
    while j < len(tokens) and tokens[j].is_word("ASYNC", "CONCURRENTLY"):
        if tokens[j].upper == "ASYNC":
            async_index = j
        else:
            concurrently = j
        j += 1
    if stmt.find("IF", "NOT", "EXISTS", start=j, stop=j + 3) == j:
        j += 3
    on = stmt.find("ON", start=j, depth=0)
    if on == -1:
        return None
    name_start, name_stop = (j, on) if on > j else (-1, -1)
    k = on + 1
    if k < len(tokens) and tokens[k].is_word("ONLY"):
        k += 1
    k = qualified_name_end(stmt, k)
    using = -1
    if k + 1 < len(tokens) and tokens[k].is_word("USING"):
        using = k + 1
        k += 2
    if k >= len(tokens) or tokens[k].text != "(":
        return CreateIndex(stmt, unique, i, async_index, concurrently, name_start, name_stop, on, using, -1, -1, [])
    close = closing(stmt, k)
    keys = [_index_key(stmt, a, b) for a, b in split_commas(stmt, k + 1, close)]
    return CreateIndex(stmt, unique, i, async_index, concurrently, name_start, name_stop, on, using, k, close, keys)


def _index_key(stmt: Statement, start: int, stop: int) -> IndexKey:
    depths = stmt.depths
    base = depths[start]
    sort_index = nulls_index = -1
    for i in range(start + 1, stop):
        tok = stmt.tokens[i]
        if depths[i] != base or tok.kind is not WORD:
            continue
        if tok.upper in ("ASC", "DESC"):
            sort_index = i
        elif tok.upper == "NULLS":
            nulls_index = i
    return IndexKey(start, stop, sort_index, nulls_index)
