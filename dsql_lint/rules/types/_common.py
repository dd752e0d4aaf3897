"""Helpers shared by the data-type rules: declared columns, type names, identity and sequence options.

Everything works from tokens, so it also works when sqlglot could not parse the
statement or turned it into a bare ``Command``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dsql_lint.frontend.syntax import (
    NAME_KINDS,
    NUMBER,
    OP,
    PUNCT,
    QIDENT,
    WORD,
    ColumnDef,
    alter_table,
    closing,
    create_table,
    declared_columns,
    is_name,
    per_statement,
    qualified_name_end,
    word_set,
)
from dsql_lint.model import Edit, Source, Statement
from dsql_lint.records import Record
from dsql_lint.text.lexer import Token


def remove_clause(source: Source, first: Token, last: Token) -> Edit:
    """Delete tokens ``first`` to ``last`` (a whole clause) and the horizontal whitespace before them.

    When the clause starts its line, the whitespace after it goes instead, so the
    surrounding layout and comments stay as they are.
    """
    text = source.text
    start = first.start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start == 0 or text[start - 1] in "\n\r":
        end = last.end
        while end < len(text) and text[end] in " \t":
            end += 1
        return Edit(first.start, end, "")
    return Edit(start, last.end, "")


#: Words that may continue a multi-word built-in type name.
_TYPE_CONTINUATIONS = frozenset({"PRECISION", "VARYING", "WITH", "WITHOUT", "TIME", "ZONE"})
_INTERVAL_FIELDS = frozenset({"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "TO"})

#: Built-in integer types that are not bigint (an identity or sequence must be bigint).
NON_BIGINT_INTEGERS = frozenset({"smallint", "int2", "integer", "int", "int4"})
BIGINT_NAMES = frozenset({"bigint", "int8"})


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class TypeRef(Record):
    """A column's declared type read from its tokens."""

    col: ColumnDef
    schema: str | None  # folded schema name, when the type is qualified
    name: str  # folded, multi-word names joined by one space: "double precision", "bit varying"
    name_start: int  # token index of the first word of the name
    name_stop: int  # token index just past the name words
    modifiers: list[tuple[int, int]]  # token ranges of each parenthesised modifier list, parentheses included
    array_start: int  # token index of the first ``[`` or ``ARRAY``, or -1
    stop: int  # token index just past the whole type

    def __init__(
        self,
        col: ColumnDef,
        schema: str | None,
        name: str,
        name_start: int,
        name_stop: int,
        modifiers: list[tuple[int, int]],
        array_start: int,
        stop: int,
    ) -> None:
        self.col = col
        self.schema = schema
        self.name = name
        self.name_start = name_start
        self.name_stop = name_stop
        self.modifiers = modifiers
        self.array_start = array_start
        self.stop = stop

    @property
    def is_builtin_name(self) -> bool:
        """True when the name is unqualified or qualified by pg_catalog (so it is the built-in type)."""
        return self.schema is None or self.schema == "pg_catalog"

    @property
    def builtin(self) -> str | None:
        """The built-in type name (``inet``), or None for a name qualified by another schema."""
        return self.name if self.is_builtin_name else None

    def text(self, stop: int | None = None) -> str:
        """The type as written (whitespace collapsed), up to token ``stop`` (default: the whole type)."""
        stmt = self.col.stmt
        last = (self.stop if stop is None else stop) - 1
        raw = stmt.source.text[stmt.tokens[self.col.type_start].start : stmt.tokens[last].end]
        return " ".join(raw.split())

    def numbers(self) -> list[tuple[Token, int]]:
        """The integer literals of the first modifier list: ``varchar(20)`` gives ``[(tok, 20)]``."""
        if not self.modifiers:
            return []
        stmt = self.col.stmt
        start, stop = self.modifiers[0]
        found = []
        sign = 1
        for tok in stmt.tokens[start + 1 : stop - 1]:
            if tok.kind is OP and tok.text in "+-":
                sign = -1 if tok.text == "-" else 1
                continue
            if tok.kind is NUMBER and tok.text.replace("_", "").isdigit():
                found.append((tok, sign * int(tok.text.replace("_", ""))))
            sign = 1
        return found


def _folded(tok: Token) -> str:
    return tok.identifier if tok.kind is QIDENT else tok.text.lower()


@per_statement
def _type_refs(stmt: Statement) -> dict[int, tuple[ColumnDef, TypeRef | None]]:
    """The statement's columns read so far, by ``id`` of the column: ``(column, its type)``.

    Kept with the statement's other views, not on the column: a TypeRef points back at its
    column, and a memo on the column would make the two a reference cycle, which only the
    cyclic garbage collector frees (:func:`dsql_lint.frontend.syntax.drop_views`). The entry keeps the
    column alive, so its ``id`` cannot be reused while the entry exists.
    """
    return {}


def read_type(col: ColumnDef) -> TypeRef | None:
    """Read the declared type of ``col`` (None when the column has no type tokens).

    Read once per column (see :func:`_type_refs`), since most type rules ask for the type of
    every column.
    """
    memo = _type_refs(col.stmt)
    entry = memo.get(id(col))
    if entry is not None and entry[0] is col:
        return entry[1]
    ref = _read_type(col)
    memo[id(col)] = (col, ref)
    return ref


def _read_type(col: ColumnDef) -> TypeRef | None:
    stmt = col.stmt
    tokens = stmt.tokens
    i, stop = col.type_start, col.type_stop
    if stop == i + 1:  # most types are one word (integer, text, uuid): what the loops below give them
        tok = tokens[i]
        if tok.kind is WORD and tok.upper != "ARRAY":
            return TypeRef(col, None, tok.text.lower(), i, stop, [], -1, stop)
    if i >= stop or not is_name(tokens[i]):
        return None
    # What _read_type_by_depths reads, without the statement's depths: the loop stops at the
    # first bracket at the type's depth (a modifier list is jumped over whole, ``[`` ends the
    # name), so it never meets a deeper token; a closing bracket at that depth (never in a
    # column of a well-formed list) is left to the depth-based reading.
    schema, name_start = _qualifier(tokens, i, stop)
    words: list[str] = []
    modifiers: list[tuple[int, int]] = []
    array_start = -1
    j = name_start
    while j < stop:
        tok = tokens[j]
        kind = tok.kind
        if kind is PUNCT:
            text = tok.text
            if text == "(":
                close = _closing_bracket(tokens, j)
                modifiers.append((j, close + 1))
                j = close + 1
                continue
            if text == "[":
                array_start = j
                break
            if text == ")" or text == "]":
                return _read_type_by_depths(col)
            break
        if kind is WORD:
            upper = tok.upper
            if upper == "ARRAY":
                array_start = j
                break
            if not words or upper in _TYPE_CONTINUATIONS or upper in _INTERVAL_FIELDS:
                words.append(tok.text.lower())
                j += 1
                continue
        elif kind is QIDENT and not words:
            words.append(tok.identifier)
            j += 1
            continue
        break
    return _type_ref(col, schema, words, name_start, j, modifiers, array_start)


def _qualifier(tokens: Sequence[Token], i: int, stop: int) -> tuple[str | None, int]:
    """The folded schema of a type written ``schema.name`` at ``i`` (or None), and where its name starts."""
    if i + 2 < stop and tokens[i + 1].text == "." and tokens[i + 1].kind is PUNCT and is_name(tokens[i + 2]):
        return _folded(tokens[i]), i + 2
    return None, i


def _type_ref(
    col: ColumnDef,
    schema: str | None,
    words: list[str],
    name_start: int,
    stopped: int,
    modifiers: list[tuple[int, int]],
    array_start: int,
) -> TypeRef:
    """The TypeRef of a type whose name words were read from ``name_start`` up to ``stopped``."""
    tokens = col.stmt.tokens
    name_stop = stopped if array_start == -1 else array_start
    while name_stop > name_start and tokens[name_stop - 1].kind not in NAME_KINDS:  # is_name, inlined
        name_stop -= 1
    return TypeRef(
        col, schema, " ".join(words), name_start, max(name_stop, name_start + 1), modifiers, array_start, col.type_stop
    )


def _closing_bracket(tokens: Sequence[Token], index: int) -> int:
    """:func:`dsql_lint.frontend.syntax.closing` for the bracket at ``index``, counting brackets from there."""
    depth = 0
    for k in range(index + 1, len(tokens)):
        tok = tokens[k]
        if tok.kind is PUNCT:
            text = tok.text
            if text == "(" or text == "[":
                depth += 1
            elif text == ")" or text == "]":
                if not depth:
                    return k
                depth -= 1
    return len(tokens) - 1


def _read_type_by_depths(col: ColumnDef) -> TypeRef | None:
    stmt = col.stmt
    tokens = stmt.tokens
    i, stop = col.type_start, col.type_stop
    depths = stmt.depths
    if i >= stop or not is_name(tokens[i]):
        return None
    base = depths[i]
    schema, name_start = _qualifier(tokens, i, stop)
    words: list[str] = []
    modifiers: list[tuple[int, int]] = []
    array_start = -1
    j = name_start
    while j < stop:
        tok = tokens[j]
        if depths[j] != base:
            j += 1
            continue
        if tok.kind is PUNCT and tok.text == "(":
            close = closing(stmt, j)
            modifiers.append((j, close + 1))
            j = close + 1
            continue
        if (tok.kind is PUNCT and tok.text == "[") or tok.is_word("ARRAY"):
            array_start = j
            break
        if is_name(tok) and (
            not words or (tok.kind is WORD and (tok.upper in _TYPE_CONTINUATIONS or tok.upper in _INTERVAL_FIELDS))
        ):
            words.append(_folded(tok))
            j += 1
            continue
        break
    return _type_ref(col, schema, words, name_start, j, modifiers, array_start)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class ColumnTypes(Record):
    """The declared columns of a statement with their types, and what the type rules look for first."""

    columns: list[tuple[ColumnDef, TypeRef | None]]  # in declaration order
    builtins: frozenset[str]  # the built-in type names among them (``TypeRef.builtin``)
    has_array: bool  # some column is declared as an array

    def __init__(
        self,
        columns: list[tuple[ColumnDef, TypeRef | None]],
        builtins: frozenset[str],
        has_array: bool,
    ) -> None:
        self.columns = columns
        self.builtins = builtins
        self.has_array = has_array


@per_statement
def column_types(stmt: Statement) -> ColumnTypes:
    """The types of the columns a CREATE TABLE or ALTER TABLE ... ADD COLUMN declares, read once.

    Several rules look for a few type names each; ``builtins`` lets them return at once when
    none of theirs is there (almost always), without reading every column again.
    """
    columns = []
    builtins = set()
    has_array = False
    memo = _type_refs(stmt)
    for col in declared_columns(stmt):
        entry = memo.get(id(col))
        if entry is not None and entry[0] is col:
            ref = entry[1]
        else:  # read_type, inlined
            ref = _read_type(col)
            memo[id(col)] = (col, ref)
        columns.append((col, ref))
        if ref is not None:
            if ref.schema is None or ref.schema == "pg_catalog":  # TypeRef.builtin, inlined
                builtins.add(ref.name)
            if ref.array_start != -1:
                has_array = True
    return ColumnTypes(columns, frozenset(builtins), has_array)


def first_words(type_names: Iterable[str]) -> frozenset[str]:
    """The first words of ``type_names`` (``"bit varying"`` gives ``BIT``), upper-cased: a statement
    declares a column of one of them only if it :func:`~dsql_lint.frontend.syntax.mentions` one of these."""
    return frozenset(name.split()[0].upper() for name in type_names)


@per_statement  # DSQL112 and DSQL113 both ask
def has_long_number(stmt: Statement) -> bool:
    """False only when the statement has no number of four characters or more, so no integer above
    999 (a length or a precision the type rules check); true whenever that cannot be told
    (:func:`~dsql_lint.frontend.syntax.word_set`)."""
    found = word_set(stmt)
    if found is None:
        return True
    # A number's word is its text, digits first (".5" never reads as an integer).
    for word in found:  # noqa: SIM110 - a loop: any() over a generator costs a frame per call
        if len(word) >= 4 and word[0] in _DIGITS:
            return True
    return False


_DIGITS = frozenset("0123456789")


# --------------------------------------------------------------------------- sequence options


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class SequenceOptions(Record):
    """Where the CACHE and AS options of a sequence or identity column are (token indexes, -1 if absent)."""

    cache_index: int  # the CACHE keyword
    cache_value: int  # index of its value token
    as_index: int  # the AS keyword of ``AS data_type``
    type_start: int
    type_stop: int
    cache_sign: int = -1  # index of a ``-`` or ``+`` before the CACHE value (``CACHE -1``), or -1

    def __init__(
        self,
        cache_index: int,
        cache_value: int,
        as_index: int,
        type_start: int,
        type_stop: int,
        cache_sign: int = -1,
    ) -> None:
        self.cache_index = cache_index
        self.cache_value = cache_value
        self.as_index = as_index
        self.type_start = type_start
        self.type_stop = type_stop
        self.cache_sign = cache_sign


def sequence_options(stmt: Statement, start: int, stop: int, *, allow_as: bool = True) -> SequenceOptions:
    """Find CACHE n and AS type among the sequence options in ``[start, stop)`` at the depth of ``start``."""
    tokens = stmt.tokens
    depths = stmt.depths
    opts = SequenceOptions(-1, -1, -1, -1, -1)
    if start >= stop:
        return opts
    base = depths[start]
    j = start
    while j < stop:
        tok = tokens[j]
        if depths[j] == base and tok.is_word("CACHE") and not (j > 0 and tokens[j - 1].is_word("NO")):
            opts.cache_index = j
            k = j + 1
            if k + 1 < stop and tokens[k].kind is OP and tokens[k].text in ("-", "+"):
                opts.cache_sign = k
                k += 1
            if k < stop and tokens[k].kind is NUMBER:
                opts.cache_value = k
            else:
                opts.cache_sign = -1
        elif allow_as and depths[j] == base and tok.is_word("AS") and j + 1 < stop and is_name(tokens[j + 1]):
            opts.as_index = j
            k = j + 1
            if k + 2 < stop and tokens[k + 1].text == "." and is_name(tokens[k + 2]):
                k += 2
            opts.type_start = k
            k += 1
            while k < stop and tokens[k].is_word("PRECISION", "VARYING"):
                k += 1
            opts.type_stop = k
        j += 1
    return opts


def cache_number(tok: Token) -> int | None:
    """The integer value of a CACHE token, or None when it is not a plain integer."""
    try:
        return int(tok.text.replace("_", ""))
    except ValueError:
        return None


def signed_cache(stmt: Statement, opts: SequenceOptions) -> tuple[int | None, str]:
    """The CACHE value with its sign (``CACHE -1`` gives -1) and its text as written; (None, "") without one."""
    if opts.cache_value == -1:
        return None, ""
    tok = stmt.tokens[opts.cache_value]
    value = cache_number(tok)
    if opts.cache_sign == -1:
        return value, tok.text
    sign = stmt.tokens[opts.cache_sign].text
    return (None if value is None else int(f"{sign}{value}")), f"{sign}{tok.text}"


def cache_is_valid(value: int) -> bool:
    """DSQL accepts CACHE 1 or CACHE >= 65536."""
    return value == 1 or value >= 65536


# --------------------------------------------------------------------------- identity columns


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Identity(Record):
    """A ``GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY [( options )]`` clause."""

    generated_index: int
    identity_index: int
    open_paren: int  # -1 without an option list
    close_paren: int
    options: SequenceOptions

    def __init__(
        self,
        generated_index: int,
        identity_index: int,
        open_paren: int,
        close_paren: int,
        options: SequenceOptions,
    ) -> None:
        self.generated_index = generated_index
        self.identity_index = identity_index
        self.open_paren = open_paren
        self.close_paren = close_paren
        self.options = options


def identity_at(stmt: Statement, start: int, stop: int) -> Identity | None:
    """The first identity clause at the depth of ``start`` in ``[start, stop)``, or None."""
    tokens = stmt.tokens
    depths = stmt.depths
    if start >= stop:
        return None
    base = depths[start]
    for i in range(start, stop):
        if depths[i] != base or not tokens[i].is_word("GENERATED"):
            continue
        j = i + 1
        if j < stop and tokens[j].is_word("ALWAYS"):
            j += 1
        elif stmt.find("BY", "DEFAULT", start=j, stop=j + 2) == j:
            j += 2
        else:
            continue
        if stmt.find("AS", "IDENTITY", start=j, stop=j + 2) != j:
            continue
        ident = j + 1
        k = ident + 1
        if k < stop and tokens[k].kind is PUNCT and tokens[k].text == "(":
            close = closing(stmt, k)
            return Identity(i, ident, k, close, sequence_options(stmt, k + 1, close, allow_as=False))
        return Identity(i, ident, -1, -1, SequenceOptions(-1, -1, -1, -1, -1))
    return None


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class IdentitySite(Record):
    """An identity clause and where it is: a column of CREATE TABLE, or ALTER COLUMN ... ADD GENERATED."""

    identity: Identity
    column: str
    col: ColumnDef | None  # None for ALTER COLUMN, whose type the statement does not say

    def __init__(self, identity: Identity, column: str, col: ColumnDef | None) -> None:
        self.identity = identity
        self.column = column
        self.col = col


@per_statement
def identity_sites(stmt: Statement) -> list[IdentitySite]:
    """Identity clauses DSQL checks: in CREATE TABLE columns and in ALTER COLUMN ... ADD GENERATED.

    ``ALTER TABLE ... ADD COLUMN ... GENERATED AS IDENTITY`` is left out: DSQL rejects
    every constraint on an added column, which is an ALTER TABLE rule's finding.
    Computed once per statement (three rules ask); read-only.
    """
    sites: list[IdentitySite] = []
    if "GENERATED" not in stmt.words:
        return sites  # every identity clause starts with the word GENERATED
    table = create_table(stmt)
    if table is not None:
        for col in table.columns:
            ident = identity_at(stmt, col.type_stop, col.stop)
            if ident is not None:
                sites.append(IdentitySite(ident, col.name.identifier, col))
        return sites
    alter = alter_table(stmt)
    if alter is None:
        return sites
    for start, stop in alter.actions:
        if not stmt.tokens[start].is_word("ALTER"):
            continue
        j = start + 1
        if j < stop and stmt.tokens[j].is_word("COLUMN"):
            j += 1
        if j >= stop or not is_name(stmt.tokens[j]):
            continue
        name = stmt.tokens[j].identifier
        if j + 1 < stop and stmt.tokens[j + 1].is_word("ADD"):
            ident = identity_at(stmt, j + 2, stop)
            if ident is not None and ident.generated_index == j + 2:
                sites.append(IdentitySite(ident, name, None))
    return sites


# --------------------------------------------------------------------------- sequences


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class SequenceStatement(Record):
    """A CREATE SEQUENCE or ALTER SEQUENCE statement: its name and options."""

    is_create: bool
    name_start: int
    name_stop: int
    options: SequenceOptions

    def __init__(self, is_create: bool, name_start: int, name_stop: int, options: SequenceOptions) -> None:
        self.is_create = is_create
        self.name_start = name_start
        self.name_stop = name_stop
        self.options = options

    def name(self, stmt: Statement) -> str:
        """The sequence name as written."""
        return "".join(t.text for t in stmt.tokens[self.name_start : self.name_stop])


def sequence_statement(stmt: Statement) -> SequenceStatement | None:
    """View ``CREATE [TEMP] SEQUENCE`` / ``ALTER SEQUENCE``, or None for any other statement."""
    if stmt.tag not in ("CREATE SEQUENCE", "ALTER SEQUENCE"):
        return None
    i = stmt.find("SEQUENCE")
    if i == -1:
        return None
    j = i + 1
    if stmt.find("IF", "NOT", "EXISTS", start=j, stop=j + 3) == j:
        j += 3
    elif stmt.find("IF", "EXISTS", start=j, stop=j + 2) == j:
        j += 2
    stop = qualified_name_end(stmt, j)
    if stop == j:
        return None
    opts = (
        sequence_options(stmt, stop, len(stmt.tokens))
        if stop < len(stmt.tokens)
        else SequenceOptions(-1, -1, -1, -1, -1)
    )
    return SequenceStatement(stmt.tag == "CREATE SEQUENCE", j, stop, opts)
