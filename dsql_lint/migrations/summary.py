"""Cheap, picklable per-file summaries: what each up-path statement does to the schema and the data.

The folder pass (schema replay and history rules) runs over these summaries in
migration order, never over syntax trees, so that a cache can store them next to a
file's diagnostics and skip re-parsing unchanged files.
"""

from __future__ import annotations

import re as _re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from sys import intern
from typing import Any

from dsql_lint.frontend.syntax import (
    TABLE_CONSTRAINT_WORDS,
    added_columns,
    alter_table,
    create_index,
    create_table,
    is_name,
    qualified_name_end,
    split_commas,
)
from dsql_lint.model import Kind, Script, Statement
from dsql_lint.records import NEW, Record
from dsql_lint.text.lexer import NUMBER, PUNCT, QIDENT, WORD, TokenKind


@dataclass(init=False, repr=False, eq=False, slots=True)  # no generated code (dsql_lint.records); slots:
# a folder's summaries hold a Change per schema change of every file
class Change(Record):
    """One effect of one statement. ``start``/``end`` are character offsets of the token to point at.

    ``kind`` is one of: ``create_table``, ``drop_table``, ``rename_table``, ``add_column``,
    ``drop_column``, ``add_unique`` (a PRIMARY KEY or UNIQUE constraint), ``create_index``,
    ``drop_index``, ``create_schema``, ``drop_schema``, ``create_sequence``, ``drop_sequence``,
    ``create_view``, ``drop_view``, ``insert_values``, ``insert_select``, ``update_all``,
    ``delete_all``, ``on_conflict``, ``using_index``, ``wait_for_job``, ``create_type`` (an enum,
    composite or range type, also inside a ``DO`` block; ``flags`` holds which),
    ``create_domain`` (its base type in ``columns``, as ``("", type text)``), and ``not_null``,
    ``drop_not_null`` and ``add_identity`` (see :func:`column_nullability`).
    """

    kind: str
    start: int
    end: int
    txn: int = -1
    name: str = ""  # table, index, schema ... (normalised, without ``public.``)
    table: str = ""
    rows: int = 0
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, type text)
    flags: frozenset[str] = frozenset()  # "unique", "async", "if_not_exists", "primary_key"
    line: int = 0

    def __init__(
        self,
        kind: str,
        start: int,
        end: int,
        txn: int = -1,
        name: str = "",
        table: str = "",
        rows: int = 0,
        columns: list[tuple[str, str]] = NEW,
        flags: frozenset[str] = frozenset(),
        line: int = 0,
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.txn = txn
        self.name = name
        self.table = table
        self.rows = rows
        self.columns = [] if columns is NEW else columns
        self.flags = flags
        self.line = line


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class TxnSummary(Record):
    """One transaction of the file, as the history rules need it."""

    index: int
    reason: str
    autocommit: bool
    start: int
    statements: int

    def __init__(self, index: int, reason: str, autocommit: bool, start: int, statements: int) -> None:
        self.index = index
        self.reason = reason
        self.autocommit = autocommit
        self.start = start
        self.statements = statements


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class FileSummary(Record):
    """Everything the folder pass needs from one file."""

    path: str
    changes: list[Change] = field(default_factory=list)
    transactions: list[TxnSummary] = field(default_factory=list)

    def __init__(self, path: str, changes: list[Change] = NEW, transactions: list[TxnSummary] = NEW) -> None:
        self.path = path
        self.changes = [] if changes is NEW else changes
        self.transactions = [] if transactions is NEW else transactions

    def packed(self) -> tuple[Any, ...]:
        """What :func:`dsql_lint.run.cache.pack` then ``_share`` make of this summary, built directly.

        Dataclasses as tuples of their fields in order, equal strings as one object (``marshal``
        then writes each once). The generic codec reads every field by name and walks every
        value twice; this runs in the workers for every file (tests/test_summary_equivalence.py
        checks both give the same data).
        """
        strings: dict[str, str] = {}
        share = strings.setdefault
        changes = [
            (
                share(c.kind, c.kind),
                c.start,
                c.end,
                c.txn,
                share(c.name, c.name),
                share(c.table, c.table),
                c.rows,
                [(share(n, n), share(t, t)) for n, t in c.columns] if c.columns else [],
                frozenset([share(f, f) for f in c.flags]) if c.flags else frozenset(),
                c.line,
            )
            for c in self.changes
        ]
        transactions = [
            (t.index, share(t.reason, t.reason), t.autocommit, t.start, t.statements) for t in self.transactions
        ]
        return (share(self.path, self.path), changes, transactions)

    @classmethod
    def from_packed(cls, data: Any) -> FileSummary:
        """The inverse of :meth:`packed` (what :func:`dsql_lint.run.cache.unpack` makes of it); raises if malformed."""
        if type(data) is not tuple or len(data) != 3:
            raise ValueError("malformed FileSummary")
        path, changes, transactions = data
        new_change = Change
        found = []
        for c in changes:
            if type(c) is not tuple or len(c) != 10:
                raise ValueError("malformed Change")
            found.append(new_change(*c))
        txns = []
        for t in transactions:
            if type(t) is not tuple or len(t) != 5:
                raise ValueError("malformed TxnSummary")
            txns.append(TxnSummary(*t))
        return cls(path, found, txns)


#: What a folder entry holds once the folder pass has replayed it and no rule will read it again
#: (:class:`dsql_lint.lint.engine.FolderPass`): a 10,000-file folder's summaries are about 110 MB.
REPLAYED = FileSummary("")

Handler = Callable[[Statement], list["Change"]]

#: Statement kinds with no schema effect, read once (an enum member read through its class is a lookup per use).
_SKIPPED_KINDS = (Kind.PSQL_META, Kind.COPY_DATA, Kind.TCL)
#: Flag sets are immutable: one shared object per combination instead of one per change.
_IF_NOT_EXISTS = frozenset({"if_not_exists"})
_NO_FLAGS: frozenset[str] = frozenset()
_KEY_FLAGS = {"primary_key": frozenset({"primary_key"}), "unique": frozenset({"unique"})}

_BRACKETS = frozenset("()[]")

# Fixed keyword runs for :func:`_skip` (lists, compared with a slice of ``Statement.words``).
_COLUMN = ["COLUMN"]
_ONLY = ["ONLY"]
_IF_EXISTS = ["IF", "EXISTS"]
_IF_NOT_EXISTS_WORDS = ["IF", "NOT", "EXISTS"]


def _ident(tok_text: str, kind: TokenKind) -> str:
    if kind is QIDENT:
        return tok_text[1:-1].replace('""', '"')
    return tok_text.lower()


def qualified(stmt: Statement, start: int, stop: int) -> str:
    """The normalised name of tokens ``[start, stop)``: folded identifiers, ``public.`` dropped."""
    tokens = stmt.tokens
    if stop == start + 1 and 0 <= start < len(tokens):  # the usual unqualified name: one token
        tok = tokens[start]
        kind = tok.kind
        if kind is WORD:
            return tok.text.lower()
        if kind is QIDENT:
            return tok.text[1:-1].replace('""', '"')
        return ""
    parts = [_ident(t.text, t.kind) for t in tokens[start:stop] if t.kind is WORD or t.kind is QIDENT]
    if len(parts) > 1 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(parts)


def _name_at(stmt: Statement, i: int) -> tuple[str, int]:
    """The qualified name starting at token ``i`` and the index after it."""
    stop = qualified_name_end(stmt, i)
    return qualified(stmt, i, stop), stop


def _skip(stmt: Statement, i: int, *words: str) -> int:
    """``i`` moved past the keyword run ``words`` when the statement has it exactly at ``i``."""
    return _skip_run(stmt.words, i, list(words))


def _skip_run(words: Sequence[str], i: int, run: list[str]) -> int:
    # ``Statement.find(*run, start=i, stop=i + len(run)) == i``: for keywords (letters only) an
    # equal entry of ``words`` is an unquoted word token, so comparing the slice is the same test.
    n = len(run)
    if words[i : i + n] == run:
        return i + n
    return i


def _has_word_run(stmt: Statement, key: str, *seq: str) -> bool:
    """``stmt.has(*seq)``, answered at once (a scan in C) when the rarest word ``key`` is absent."""
    return key in stmt.words and stmt.has(*seq)


def _find_at_depth(stmt: Statement, word: str, depth: int, start: int = 0) -> int:
    """``stmt.find(word, start=start, depth=depth)`` for one keyword (letters only), jumping in C.

    Bounded by ``list.count``: a ``list.index`` that finds nothing raises, which costs more than
    the whole search.
    """
    words = stmt.words
    count = words.count(word)
    if not count:
        return -1
    depths = stmt.depths
    index = words.index
    i = 0
    for _ in range(count):
        i = index(word, i)
        if i >= start and depths[i] == depth:
            return i
        i += 1
    return -1


def summarize(script: Script) -> FileSummary:
    """The schema and data effects of the script's statements, in order, tagged with their transaction."""
    summary = FileSummary(script.source.path)
    txn_of: dict[int, int] = {}
    transactions = summary.transactions
    for n, txn in enumerate(script.transactions):
        for stmt in txn.statements:
            txn_of[id(stmt)] = n
        body = txn.body
        transactions.append(TxnSummary(n, txn.reason, txn.is_autocommit, body[0].start if body else 0, len(body)))
    changes = summary.changes
    handlers = _HANDLERS
    skipped = _SKIPPED_KINDS
    dml = Kind.DML
    for stmt in script.statements:
        kind = stmt.kind
        if kind in skipped or not stmt.tokens:
            continue
        tag = stmt.tag
        handler = handlers.get(tag)
        if handler is None:
            if kind is not dml and tag not in ("INSERT", "UPDATE", "DELETE"):
                continue
            handler = _dml
        found = handler(stmt)
        if not found:
            continue
        number = txn_of.get(id(stmt), -1)
        for change in found:
            change.txn = number
            changes.append(change)
    # Every change's line, from one search per change in C (Source.position's line, without its call).
    for change, line in zip(changes, script.source.lines([c.start for c in changes]), strict=True):
        change.line = line
    return summary


def _changes(stmt: Statement) -> list[Change]:
    tag = stmt.tag
    handler = _HANDLERS.get(tag)
    if handler is not None:
        return handler(stmt)
    if stmt.kind is Kind.DML or tag in ("INSERT", "UPDATE", "DELETE"):
        return _dml(stmt)
    return []


def _anchor(stmt: Statement, i: int) -> tuple[int, int]:
    tok = stmt.tokens[min(max(i, 0), len(stmt.tokens) - 1)]
    start = tok.start
    return start, start + len(tok.text)  # Token.end, without its call


def _create_table(stmt: Statement) -> list[Change]:
    view = create_table(stmt)
    if view is None:
        return []
    tokens = stmt.tokens
    words = stmt.words
    name = qualified(stmt, view.name_start, view.name_stop)
    start, end = _anchor(stmt, view.name_start)
    flags = _IF_NOT_EXISTS if _has_word_run(stmt, "EXISTS", "IF", "NOT", "EXISTS") else _NO_FLAGS
    table = Change("create_table", start, end, name=name, table=name, flags=flags)
    changes = [table]
    columns = table.columns
    # The view's columns (shared with the statement rules, which read them first) are the
    # elements that read as column definitions, in order: element k is a column exactly when
    # the next unread column starts where the element starts.
    defs = view.columns
    not_null: list[str] = []  # NOT NULL or PRIMARY KEY columns, for DSQL116 (see column_nullability)
    keys: list[str] = []  # the columns of a table-level PRIMARY KEY, after those
    k = 0
    for a, b in view.elements:
        if k < len(defs) and defs[k].name_index == a:
            col = defs[k]
            k += 1
            lo, hi = col.type_stop, col.stop
            tok = tokens[a]
            # The type interned: the folder's schema model keeps every column's type, and types
            # repeat from table to table (10 MB less for the 10,000-file benchmark folder).
            column = tok.text.lower() if tok.kind is WORD else tok.identifier  # Token.identifier
            type_start = col.type_start
            if lo == type_start + 1:  # a one-word type, the usual case
                columns.append((column, intern(tokens[type_start].text)))
            else:
                columns.append((column, intern(" ".join([t.text for t in tokens[type_start:lo]]))))
            window = words[lo:hi]
            if "UNIQUE" in window or "PRIMARY" in window:
                for kind in _listed_key_constraints(stmt, lo, hi):
                    s, e = _anchor(stmt, lo)
                    changes.append(Change("add_unique", s, e, table=name, name="", flags=_KEY_FLAGS[kind]))
            if "PRIMARY" in window or ("NOT" in window and "NULL" in window):
                not_null.append(column)
            continue
        first = tokens[a]
        if first.kind is WORD and first.upper in TABLE_CONSTRAINT_WORDS:
            cname = ""
            j = a
            if first.upper == "CONSTRAINT" and a + 1 < b:
                cname = _ident(tokens[a + 1].text, tokens[a + 1].kind)
                j = a + 2
            for kind in _listed_key_constraints(stmt, j, min(j + 2, b)):
                s, e = _anchor(stmt, a)
                changes.append(Change("add_unique", s, e, table=name, name=cname, flags=_KEY_FLAGS[kind]))
            if first.upper == "PRIMARY" or first.upper == "CONSTRAINT":
                at = stmt.find("PRIMARY", "KEY", start=a, stop=b)
                if at != -1:
                    keys.extend(t.identifier for t in tokens[at + 2 : b] if t.kind is WORD or t.kind is QIDENT)
    if (not_null or keys) and view.name_stop > view.name_start:
        not_null += keys
        listed = [(c, "") for c in dict.fromkeys(not_null)]
        changes.append(Change("not_null", start, end, table=name, columns=listed))
    return changes


def _listed_key_constraints(stmt: Statement, lo: int, hi: int) -> list[str]:
    """:func:`_key_constraints` for a range inside a CREATE TABLE element list, without ``stmt.depths``.

    Inside the list's brackets every token is at depth 1 or more, so a closing bracket never
    meets depth 0 (where ``Statement.depths`` stops counting down): the depth relative to
    ``lo``, counted over the range alone, is ``depths[i] - depths[lo]``. The statement rules
    seldom need a CREATE TABLE's depths, and computing them for every token was most of this.
    """
    words = stmt.words
    window = words[lo:hi]
    if "UNIQUE" not in window and "PRIMARY" not in window:
        return []
    tokens = stmt.tokens
    found = []
    depth = 0
    for i in range(lo, min(hi, len(tokens))):
        word = words[i]
        if word in _BRACKETS and tokens[i].kind is PUNCT:
            if word == "(" or word == "[":
                depth += 1
            else:
                depth -= 1
            continue
        if depth:
            continue
        if word == "PRIMARY" and i + 1 < hi and words[i + 1] == "KEY":
            found.append("primary_key")
        elif word == "UNIQUE":
            found.append("unique")
    return found


def _key_constraints(stmt: Statement, lo: int, hi: int) -> list[str]:
    window = stmt.words[lo:hi]
    if "UNIQUE" not in window and "PRIMARY" not in window:  # the usual column: no key words at all
        return []
    found = []
    depths = stmt.depths
    base = depths[lo] if lo < len(depths) else 0
    for i in range(lo, min(hi, len(stmt.tokens))):
        if depths[i] != base:
            continue
        tok = stmt.tokens[i]
        if tok.is_word("PRIMARY") and i + 1 < hi and stmt.tokens[i + 1].is_word("KEY"):
            found.append("primary_key")
        elif tok.is_word("UNIQUE"):
            found.append("unique")
    return found


def _alter_table(stmt: Statement) -> list[Change]:
    view = alter_table(stmt)
    if view is None:
        return []
    tokens = stmt.tokens
    words = stmt.words
    name = qualified(stmt, view.name_start, view.name_stop)
    changes = []
    # The ADD actions that read as column definitions, in order (the view the statement rules
    # share): an ADD action's column is the next unread one when it ends where the action ends.
    added = added_columns(stmt)
    k = 0
    for a, b in view.actions:
        word = words[a]
        s, e = _anchor(stmt, a)
        if word == "ADD":
            j = _skip_run(words, a + 1, _COLUMN)
            if j == a + 1 and j < b:
                nxt = tokens[j]
                if nxt.kind is WORD and nxt.upper in TABLE_CONSTRAINT_WORDS:
                    changes.extend(_added_constraint(stmt, name, a, b))
                    continue
            if k < len(added) and added[k].stop == b:
                col = added[k]
                k += 1
                name_tok = tokens[col.name_index]
                identifier = name_tok.identifier
                ch = Change("add_column", name_tok.start, name_tok.end, table=name, name=identifier)
                ch.columns.append(
                    (identifier, intern(" ".join([t.text for t in tokens[col.type_start : col.type_stop]])))
                )  # interned, as in _create_table
                changes.append(ch)
        elif word == "DROP":
            j = a + 1
            if j < b and words[j] == "CONSTRAINT":
                j = _skip_run(words, j + 1, _IF_EXISTS)
                if j < b:
                    changes.append(
                        Change("drop_constraint", s, e, table=name, name=_ident(tokens[j].text, tokens[j].kind))
                    )
                continue
            j = _skip_run(words, j, _COLUMN)
            j = _skip_run(words, j, _IF_EXISTS)
            if j < b and is_name(tokens[j]):
                changes.append(Change("drop_column", s, e, table=name, name=tokens[j].identifier))
        elif word == "RENAME":
            to = stmt.find("TO", start=a, stop=b)
            if to != -1 and to + 1 < b:
                if to == a + 1:
                    new, _ = _name_at(stmt, to + 1)
                    changes.append(Change("rename_table", s, e, table=name, name=new))
                else:
                    j = _skip_run(words, a + 1, _COLUMN)
                    if not tokens[j].is_word("CONSTRAINT"):
                        changes.append(
                            Change(
                                "rename_column",
                                s,
                                e,
                                table=name,
                                name=tokens[to + 1].identifier,
                                columns=[(tokens[j].identifier, "")],
                            )
                        )
    return changes


def _added_constraint(stmt: Statement, table: str, a: int, b: int) -> list[Change]:
    j = a + 1
    cname = ""
    if stmt.tokens[j].is_word("CONSTRAINT") and j + 1 < b:
        cname = _ident(stmt.tokens[j + 1].text, stmt.tokens[j + 1].kind)
        j += 2
    kinds = _key_constraints(stmt, j, min(j + 2, b))
    if not kinds:
        return []
    s, e = _anchor(stmt, j)
    changes = [Change("add_unique", s, e, table=table, name=cname, flags=frozenset(kinds))]
    using = stmt.find("USING", "INDEX", start=j, stop=b)
    if using != -1 and using + 2 < b + 1 and using + 2 < len(stmt.tokens):
        idx_tok = stmt.tokens[using + 2]
        changes.append(
            Change("using_index", idx_tok.start, idx_tok.end, table=table, name=_ident(idx_tok.text, idx_tok.kind))
        )
    return changes


def _create_index(stmt: Statement) -> list[Change]:
    view = create_index(stmt)
    if view is None:
        return []
    table = qualified(stmt, *_table_span(stmt, view.on_index))
    if view.name_start != -1:
        name = qualified(stmt, view.name_start, view.name_stop)
    else:
        cols = [stmt.tokens[k.start].identifier for k in view.keys if is_name(stmt.tokens[k.start])]
        name = "_".join([table.split(".")[-1], *cols, "idx"])
    flags = set()
    if view.unique_index != -1:
        flags.add("unique")
    if view.async_index != -1:
        flags.add("async")
    if _has_word_run(stmt, "EXISTS", "IF", "NOT", "EXISTS"):
        flags.add("if_not_exists")
    s, e = _anchor(stmt, view.index_index)
    return [Change("create_index", s, e, name=name, table=table, flags=frozenset(flags))]


def _table_span(stmt: Statement, on_index: int) -> tuple[int, int]:
    j = on_index + 1
    if j < len(stmt.tokens) and stmt.tokens[j].is_word("ONLY"):
        j += 1
    return j, qualified_name_end(stmt, j)


def _drop_many(kind: str, skip_words: tuple[str, ...]) -> Handler:
    def handler(stmt: Statement) -> list[Change]:
        j = 2
        for word in skip_words:
            j = _skip(stmt, j, word)
        j = _skip(stmt, j, "IF", "EXISTS")
        stop = len(stmt.tokens)
        for k in range(j, len(stmt.tokens)):
            if stmt.tokens[k].is_word("CASCADE", "RESTRICT"):
                stop = k
                break
        changes = []
        for a, _b in split_commas(stmt, j, stop):
            s, e = _anchor(stmt, a)
            changes.append(Change(kind, s, e, name=qualified(stmt, a, qualified_name_end(stmt, a))))
        return changes

    return handler


def _create_schema(stmt: Statement) -> list[Change]:
    j = _skip(stmt, 2, "IF", "NOT", "EXISTS")
    if j >= len(stmt.tokens):
        return []
    if stmt.tokens[j].is_word("AUTHORIZATION") and j + 1 < len(stmt.tokens):
        j += 1
    s, e = _anchor(stmt, j)
    return [Change("create_schema", s, e, name=_ident(stmt.tokens[j].text, stmt.tokens[j].kind))]


def _create_simple(kind: str) -> Handler:
    def handler(stmt: Statement) -> list[Change]:
        obj = stmt.find(kind.split("_", 1)[1].upper())
        if obj == -1:
            return []
        j = _skip(stmt, obj + 1, "IF", "NOT", "EXISTS")
        if j >= len(stmt.tokens):
            return []
        name, _ = _name_at(stmt, j)
        s, e = _anchor(stmt, j)
        return [Change(kind, s, e, name=name)]

    return handler


def _values_rows(stmt: Statement, values: int) -> int:
    rows = 0
    depths = stmt.depths
    tokens = stmt.tokens
    words = stmt.words  # a punctuation token's entry is its text, a word's its upper-cased text
    depth = depths[values]
    for i in range(values + 1, len(tokens)):
        if depths[i] != depth:
            continue
        word = words[i]
        if word == "(":
            if tokens[i].kind is PUNCT:
                rows += 1
        elif (word == "ON" or word == "RETURNING") and tokens[i].kind is WORD:
            break
    return rows


def _dml(stmt: Statement) -> list[Change]:
    words = stmt.words
    if not words or words[0] == "WITH":
        return []  # CTEs: too many shapes to count rows from; stay silent rather than guess
    changes: list[Change] = []
    if stmt.starts_with("INSERT", "INTO"):
        name, _after = _name_at(stmt, 2)
        s, e = _anchor(stmt, 0)
        values = _find_at_depth(stmt, "VALUES", 0)
        select = _find_at_depth(stmt, "SELECT", 0)
        # DEFAULT VALUES at depth 0 has its VALUES at depth 0: only then can the statement hold it.
        if values != -1 and _has_depth0_run(stmt, "DEFAULT", "VALUES"):
            changes.append(Change("insert_values", s, e, table=name, rows=1))
        elif values != -1 and (select == -1 or values < select):
            changes.append(Change("insert_values", s, e, table=name, rows=_values_rows(stmt, values)))
        elif (
            select != -1
            and _find_at_depth(stmt, "FROM", 0, select) != -1
            and not _limited(stmt, select)
            and not filters_by_equality(stmt, select)
        ):
            ss, se = _anchor(stmt, select)
            changes.append(Change("insert_select", ss, se, table=name))
        if "CONFLICT" in words:
            conflict = stmt.find("ON", "CONFLICT", depth=0)
            if conflict != -1:
                cs, _ = _anchor(stmt, conflict)
                _, ce = _anchor(stmt, conflict + 1)
                changes.append(Change("on_conflict", cs, ce, table=name))
    elif stmt.starts_with("UPDATE") or stmt.starts_with("DELETE", "FROM"):
        j = 1 if words[0] == "UPDATE" else 2
        j = _skip_run(words, j, _ONLY)
        name, _ = _name_at(stmt, j)
        if _find_at_depth(stmt, "WHERE", 0) == -1:
            s, e = _anchor(stmt, 0)
            kind = "update_all" if words[0] == "UPDATE" else "delete_all"
            changes.append(Change(kind, s, e, table=name))
    return changes


def _has_depth0_run(stmt: Statement, first: str, second: str) -> bool:
    """``stmt.has(first, second, depth=0)`` (keywords), answered at once when ``first`` is absent."""
    return first in stmt.words and stmt.has(first, second, depth=0)


def _limited(stmt: Statement, select: int) -> bool:
    """True when the SELECT ends with ``LIMIT n`` and n is at most 3,000: the row count is provably small."""
    limit = stmt.find("LIMIT", start=select, depth=stmt.depths[select])
    if limit == -1 or limit + 1 >= len(stmt.tokens):
        return False
    tok = stmt.tokens[limit + 1]
    return tok.kind is NUMBER and tok.text.isdigit() and int(tok.text) <= 3000


#: Words that end a SELECT's WHERE clause at its own depth.
_WHERE_ENDS = frozenset(
    {"GROUP", "ORDER", "LIMIT", "OFFSET", "FETCH", "UNION", "EXCEPT", "INTERSECT", "HAVING", "WINDOW", "ON",
     "RETURNING", "FOR"}
)  # fmt: skip
_CONSTANT = frozenset({TokenKind.STRING, TokenKind.NUMBER, TokenKind.PARAM})


def filters_by_equality(stmt: Statement, select: int) -> bool:
    """True when the SELECT's own WHERE picks rows by equality: ``column = constant`` or
    ``column IN (constants)`` among its top-level conditions, and no top-level ``OR``.

    Seed migrations copy a handful of rows this way (``INSERT INTO role_permissions SELECT
    r.id, p.id FROM roles r, permissions p WHERE r.name = 'admin' AND p.name IN ('read', 'write')``);
    such a copy is bounded by the data the constants name, not by the size of the tables.
    """
    depths = stmt.depths
    depth = depths[select]
    where = stmt.find("WHERE", start=select, depth=depth)
    if where == -1:
        return False
    tokens = stmt.tokens
    words = stmt.words
    found = False
    n = len(tokens)
    for i in range(where + 1, n):
        if depths[i] < depth:
            break
        if depths[i] != depth:
            continue
        tok = tokens[i]
        word = words[i]
        if tok.kind is WORD:
            if word in _WHERE_ENDS:
                break
            if word == "OR":
                return False
            if word == "IN" and i + 2 < n and words[i + 1] == "(" and i > where + 1:
                items = []
                j = i + 2
                while j < n and depths[j] > depth:
                    if not (tokens[j].kind is PUNCT and tokens[j].text in ",()"):
                        items.append(tokens[j])
                    j += 1
                if items and all(t.kind in _CONSTANT for t in items):
                    found = True
        elif tok.kind is TokenKind.OP and tok.text == "=" and where + 1 < i < n - 1:
            before, after = tokens[i - 1], tokens[i + 1]
            named = (WORD, QIDENT)
            if (before.kind in named and after.kind in _CONSTANT) or (before.kind in _CONSTANT and after.kind in named):
                found = True
    return found


def _call(stmt: Statement) -> list[Change]:
    i = stmt.find("WAIT_FOR_JOB")
    if i == -1:
        return []
    s, e = _anchor(stmt, i)
    return [Change("wait_for_job", s, e)]


def _select(stmt: Statement) -> list[Change]:
    return _call(stmt)  # SELECT sys.wait_for_job(...) in older guidance


#: ``CREATE TYPE name AS ENUM|RANGE|(`` inside a DO block's body (ORMs wrap it so it can run twice).
_TYPE_IN_DO = (
    r"\bCREATE\s+TYPE\s+((?:\"[^\"]+\"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:\"[^\"]+\"|[A-Za-z_][\w$]*))?)"
    r"\s+AS\s+(ENUM|RANGE|\()"
)
_TYPE_KINDS = {"ENUM": frozenset({"enum"}), "RANGE": frozenset({"range"}), "(": frozenset({"composite"})}


def _fold_name(raw: str) -> str:
    """A type name as :func:`qualified` folds it (``"Role"`` -> ``Role``, ``Public.Mood`` -> ``mood``)."""
    parts = []
    for part in _re.findall(r'"(?:[^"]|"")+"|[^\s.]+', raw):
        parts.append(part[1:-1].replace('""', '"') if part.startswith('"') else part.lower())
    if len(parts) > 1 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(parts)


def _name_after(stmt: Statement, word: str) -> tuple[int, int] | None:
    """Where the (qualified) name after the first ``word`` starts and stops, or None without one."""
    i = stmt.find(word)
    if i == -1 or i + 1 >= len(stmt.tokens):
        return None
    return i + 1, qualified_name_end(stmt, i + 1)


def create_type_changes(stmt: Statement) -> list[Change]:
    """``create_type`` for ``CREATE TYPE name AS ENUM|RANGE|(...)``."""
    tokens = stmt.tokens
    named = _name_after(stmt, "TYPE")
    if named is None:
        return []
    start, stop = named
    i = start - 1
    if stop == i + 1 or stop + 1 >= len(tokens) or not tokens[stop].is_word("AS"):
        return []
    after = tokens[stop + 1]
    key = "(" if after.kind is PUNCT and after.text == "(" else after.upper if after.kind is WORD else ""
    if key not in _TYPE_KINDS:
        return []
    s, e = _anchor(stmt, i + 1)
    return [Change("create_type", s, e, name=qualified(stmt, i + 1, stop), flags=_TYPE_KINDS[key])]


def create_domain_changes(stmt: Statement) -> list[Change]:
    """``create_domain`` for ``CREATE DOMAIN name [AS] type ...``: the base type's words until a constraint."""
    tokens = stmt.tokens
    named = _name_after(stmt, "DOMAIN")
    if named is None:
        return []
    start, stop = named
    i = start - 1
    j = stop + 1 if stop < len(tokens) and tokens[stop].is_word("AS") else stop
    end = j
    while end < len(tokens) and not (
        tokens[end].kind is WORD and tokens[end].upper in ("CONSTRAINT", "DEFAULT", "NOT", "NULL", "CHECK", "COLLATE")
    ):
        end += 1
    if end == j:
        return []
    s, e = _anchor(stmt, i + 1)
    base = " ".join(t.text for t in tokens[j:end])
    return [Change("create_domain", s, e, name=qualified(stmt, i + 1, stop), columns=[("", base)])]


def do_block_type_changes(stmt: Statement) -> list[Change]:
    """``create_type`` for each ``CREATE TYPE ... AS ENUM|RANGE|(`` in a DO block's body."""
    found = []
    # (compiled here, on the first DO block: half a millisecond of every run's start otherwise)
    pattern = _re.compile(_TYPE_IN_DO, _re.IGNORECASE)
    for tok in stmt.tokens:
        if tok.kind is not TokenKind.DOLLAR and tok.kind is not TokenKind.STRING:
            continue
        for m in pattern.finditer(tok.text):
            found.append(
                Change(
                    "create_type",
                    tok.start,
                    tok.end,
                    name=_fold_name(m.group(1)),
                    flags=_TYPE_KINDS[m.group(2).upper()],
                )
            )
    return found


def column_nullability(stmt: Statement) -> list[Change]:
    """What DSQL116 needs to know about NOT NULL from an ALTER TABLE statement (shared with
    tests/reference_summary.py):

    - ``drop_not_null``: ``ALTER [COLUMN] c DROP NOT NULL`` (``name`` is the column);
    - ``add_identity``: ``ALTER [COLUMN] c ADD GENERATED ... AS IDENTITY``, pointing from GENERATED
      to IDENTITY.

    A CREATE TABLE's ``not_null`` change (the columns it makes NOT NULL: ``NOT NULL``, or part of
    the primary key, inline or as a table constraint) comes last from :func:`_create_table`, read in
    the same pass over its columns.
    """
    if stmt.tag != "ALTER TABLE" or ("NULL" not in stmt.words and "IDENTITY" not in stmt.words):
        return []
    view = alter_table(stmt)
    if view is None:
        return []
    tokens = stmt.tokens
    words = stmt.words
    table = qualified(stmt, view.name_start, view.name_stop)
    changes = []
    for a, b in view.actions:
        if words[a] != "ALTER":
            continue
        j = _skip_run(words, a + 1, _COLUMN)
        if j + 1 >= b or not is_name(tokens[j]):
            continue
        column = tokens[j].identifier
        rest = words[j + 1 : b]
        if rest == ["DROP", "NOT", "NULL"]:
            s, e = _anchor(stmt, a)
            changes.append(Change("drop_not_null", s, e, table=table, name=column))
        elif rest[:2] == ["ADD", "GENERATED"] and "IDENTITY" in rest:
            first = tokens[j + 2]
            last = tokens[j + 1 + rest.index("IDENTITY")]
            changes.append(Change("add_identity", first.start, last.end, table=table, name=column))
    return changes


def _with_nullability(handler: Handler) -> Handler:
    def both(stmt: Statement) -> list[Change]:
        found = handler(stmt)
        more = column_nullability(stmt)
        return found + more if more else found

    return both


_HANDLERS: dict[str, Handler] = {
    "CREATE TABLE": _create_table,
    "ALTER TABLE": _with_nullability(_alter_table),
    "CREATE INDEX": _create_index,
    "DROP TABLE": _drop_many("drop_table", ("TABLE",)),
    "DROP INDEX": _drop_many("drop_index", ("INDEX", "CONCURRENTLY")),
    "DROP SCHEMA": _drop_many("drop_schema", ("SCHEMA",)),
    "DROP SEQUENCE": _drop_many("drop_sequence", ("SEQUENCE",)),
    "DROP VIEW": _drop_many("drop_view", ("VIEW",)),
    "CREATE SCHEMA": _create_schema,
    "CREATE SEQUENCE": _create_simple("create_sequence"),
    "CREATE VIEW": _create_simple("create_view"),
    "CALL": _call,
    "SELECT": _select,
    "CREATE TYPE": create_type_changes,
    "CREATE DOMAIN": create_domain_changes,
    "DO": do_block_type_changes,
}
