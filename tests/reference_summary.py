"""A frozen copy of ``dsql_lint/migrations/summary.py`` as it was before it was optimised (session 3).

tests/test_summary_equivalence.py checks that :func:`dsql_lint.migrations.summarize` gives exactly
what this straightforward version gives on every file we have. Do not optimise this copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dsql_lint.frontend.syntax import (
    TABLE_CONSTRAINT_WORDS,
    alter_table,
    column_def,
    create_index,
    create_table,
    is_name,
    qualified_name_end,
    split_commas,
)
from dsql_lint.migrations.summary import (
    column_nullability,
    create_domain_changes,
    create_type_changes,
    do_block_type_changes,
    filters_by_equality,
)
from dsql_lint.model import Kind, Script, Statement
from dsql_lint.text.lexer import TokenKind


@dataclass
class Change:
    """One effect of one statement. ``start``/``end`` are character offsets of the token to point at.

    ``kind`` is one of: ``create_table``, ``drop_table``, ``rename_table``, ``add_column``,
    ``drop_column``, ``add_unique`` (a PRIMARY KEY or UNIQUE constraint), ``create_index``,
    ``drop_index``, ``create_schema``, ``drop_schema``, ``create_sequence``, ``drop_sequence``,
    ``create_view``, ``drop_view``, ``insert_values``, ``insert_select``, ``update_all``,
    ``delete_all``, ``on_conflict``, ``using_index``, ``wait_for_job``.
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


@dataclass
class TxnSummary:
    """One transaction of the file, as the history rules need it."""

    index: int
    reason: str
    autocommit: bool
    start: int
    statements: int


@dataclass
class FileSummary:
    """Everything the folder pass needs from one file."""

    path: str
    changes: list[Change] = field(default_factory=list)
    transactions: list[TxnSummary] = field(default_factory=list)


Handler = Callable[[Statement], list["Change"]]


def _ident(tok_text: str, kind: TokenKind) -> str:
    if kind is TokenKind.QIDENT:
        return tok_text[1:-1].replace('""', '"')
    return tok_text.lower()


def qualified(stmt: Statement, start: int, stop: int) -> str:
    """The normalised name of tokens ``[start, stop)``: folded identifiers, ``public.`` dropped."""
    parts = [_ident(t.text, t.kind) for t in stmt.tokens[start:stop] if is_name(t)]
    if len(parts) > 1 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(parts)


def _name_at(stmt: Statement, i: int) -> tuple[str, int]:
    """The qualified name starting at token ``i`` and the index after it."""
    stop = qualified_name_end(stmt, i)
    return qualified(stmt, i, stop), stop


def _skip(stmt: Statement, i: int, *words: str) -> int:
    if stmt.find(*words, start=i, stop=i + len(words)) == i:
        return i + len(words)
    return i


def summarize(script: Script) -> FileSummary:
    """The schema and data effects of the script's statements, in order, tagged with their transaction."""
    summary = FileSummary(script.source.path)
    txn_of: dict[int, int] = {}
    for n, txn in enumerate(script.transactions):
        for stmt in txn.statements:
            txn_of[id(stmt)] = n
        body = txn.body
        summary.transactions.append(
            TxnSummary(n, txn.reason, txn.is_autocommit, body[0].start if body else 0, len(body))
        )
    for stmt in script.statements:
        if stmt.kind in (Kind.PSQL_META, Kind.COPY_DATA, Kind.TCL) or not stmt.tokens:
            continue
        for change in _changes(stmt):
            change.txn = txn_of.get(id(stmt), -1)
            change.line = stmt.source.position(change.start)[0]
            summary.changes.append(change)
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
    return tok.start, tok.end


def _create_table(stmt: Statement) -> list[Change]:
    view = create_table(stmt)
    if view is None:
        return []
    name = qualified(stmt, view.name_start, view.name_stop)
    start, end = _anchor(stmt, view.name_start)
    flags = {"if_not_exists"} if stmt.has("IF", "NOT", "EXISTS") else set()
    table = Change("create_table", start, end, name=name, table=name, flags=frozenset(flags))
    changes = [table]
    for a, b in view.elements:
        col = column_def(stmt, a, b)
        if col is not None:
            table.columns.append((col.name.identifier, " ".join(t.text for t in col.type_tokens)))
            lo, hi = col.constraint_range
            for kind in _key_constraints(stmt, lo, hi):
                s, e = _anchor(stmt, lo)
                changes.append(Change("add_unique", s, e, table=name, name="", flags=frozenset({kind})))
            continue
        first = stmt.tokens[a]
        if first.kind is TokenKind.WORD and first.upper in TABLE_CONSTRAINT_WORDS:
            cname = ""
            j = a
            if first.upper == "CONSTRAINT" and a + 1 < b:
                cname = _ident(stmt.tokens[a + 1].text, stmt.tokens[a + 1].kind)
                j = a + 2
            for kind in _key_constraints(stmt, j, min(j + 2, b)):
                s, e = _anchor(stmt, a)
                changes.append(Change("add_unique", s, e, table=name, name=cname, flags=frozenset({kind})))
    return changes


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
    name = qualified(stmt, view.name_start, view.name_stop)
    changes = []
    for a, b in view.actions:
        tok = stmt.tokens[a]
        s, e = _anchor(stmt, a)
        if tok.is_word("ADD"):
            j = _skip(stmt, a + 1, "COLUMN")
            nxt = stmt.tokens[j] if j < b else None
            if j == a + 1 and nxt is not None and nxt.kind is TokenKind.WORD and nxt.upper in TABLE_CONSTRAINT_WORDS:
                changes.extend(_added_constraint(stmt, name, a, b))
                continue
            j = _skip(stmt, j, "IF", "NOT", "EXISTS")
            col = column_def(stmt, j, b)
            if col is not None:
                cs, ce = col.name.start, col.name.end
                ch = Change("add_column", cs, ce, table=name, name=col.name.identifier)
                ch.columns.append((col.name.identifier, " ".join(t.text for t in col.type_tokens)))
                changes.append(ch)
        elif tok.is_word("DROP"):
            j = a + 1
            if j < b and stmt.tokens[j].is_word("CONSTRAINT"):
                j = _skip(stmt, j + 1, "IF", "EXISTS")
                if j < b:
                    changes.append(
                        Change(
                            "drop_constraint", s, e, table=name, name=_ident(stmt.tokens[j].text, stmt.tokens[j].kind)
                        )
                    )
                continue
            j = _skip(stmt, j, "COLUMN")
            j = _skip(stmt, j, "IF", "EXISTS")
            if j < b and is_name(stmt.tokens[j]):
                changes.append(Change("drop_column", s, e, table=name, name=stmt.tokens[j].identifier))
        elif tok.is_word("RENAME"):
            to = stmt.find("TO", start=a, stop=b)
            if to != -1 and to + 1 < b:
                if to == a + 1:
                    new, _ = _name_at(stmt, to + 1)
                    changes.append(Change("rename_table", s, e, table=name, name=new))
                else:
                    j = _skip(stmt, a + 1, "COLUMN")
                    if not stmt.tokens[j].is_word("CONSTRAINT"):
                        changes.append(
                            Change(
                                "rename_column",
                                s,
                                e,
                                table=name,
                                name=stmt.tokens[to + 1].identifier,
                                columns=[(stmt.tokens[j].identifier, "")],
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
    if stmt.has("IF", "NOT", "EXISTS"):
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
    depth = depths[values]
    for i in range(values + 1, len(tokens)):
        if depths[i] != depth:
            continue
        tok = tokens[i]
        if tok.kind is TokenKind.PUNCT and tok.text == "(":
            rows += 1
        elif tok.kind is TokenKind.WORD and tok.upper in ("ON", "RETURNING"):
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
        values = stmt.find("VALUES", depth=0)
        select = stmt.find("SELECT", depth=0)
        if stmt.has("DEFAULT", "VALUES", depth=0):
            changes.append(Change("insert_values", s, e, table=name, rows=1))
        elif values != -1 and (select == -1 or values < select):
            changes.append(Change("insert_values", s, e, table=name, rows=_values_rows(stmt, values)))
        elif (
            select != -1
            and stmt.find("FROM", start=select, depth=0) != -1
            and not _limited(stmt, select)
            and not filters_by_equality(stmt, select)
        ):
            ss, se = _anchor(stmt, select)
            changes.append(Change("insert_select", ss, se, table=name))
        conflict = stmt.find("ON", "CONFLICT", depth=0)
        if conflict != -1:
            cs, _ = _anchor(stmt, conflict)
            _, ce = _anchor(stmt, conflict + 1)
            changes.append(Change("on_conflict", cs, ce, table=name))
    elif stmt.starts_with("UPDATE") or stmt.starts_with("DELETE", "FROM"):
        j = 1 if words[0] == "UPDATE" else 2
        j = _skip(stmt, j, "ONLY")
        name, _ = _name_at(stmt, j)
        if stmt.find("WHERE", depth=0) == -1:
            s, e = _anchor(stmt, 0)
            kind = "update_all" if words[0] == "UPDATE" else "delete_all"
            changes.append(Change(kind, s, e, table=name))
    return changes


def _limited(stmt: Statement, select: int) -> bool:
    """True when the SELECT ends with ``LIMIT n`` and n is at most 3,000: the row count is provably small."""
    limit = stmt.find("LIMIT", start=select, depth=stmt.depths[select])
    if limit == -1 or limit + 1 >= len(stmt.tokens):
        return False
    tok = stmt.tokens[limit + 1]
    return tok.kind is TokenKind.NUMBER and tok.text.isdigit() and int(tok.text) <= 3000


def _call(stmt: Statement) -> list[Change]:
    i = stmt.find("WAIT_FOR_JOB")
    if i == -1:
        return []
    s, e = _anchor(stmt, i)
    return [Change("wait_for_job", s, e)]


def _select(stmt: Statement) -> list[Change]:
    return _call(stmt)  # SELECT sys.wait_for_job(...) in older guidance


def _not_null_columns(stmt: Statement) -> list[Change]:
    """A CREATE TABLE's ``not_null`` change: frozen from the front end when it was read in a pass of
    its own (session 14 reads it in :func:`dsql_lint.migrations.summary._create_table`'s pass)."""
    view = create_table(stmt)
    if view is None or view.name_stop <= view.name_start:
        return []
    tokens = stmt.tokens
    words = stmt.words
    found: list[str] = []
    for col in view.columns:
        window = words[col.type_stop : col.stop]
        if ("NOT" in window and "NULL" in window) or "PRIMARY" in window:
            found.append(tokens[col.name_index].identifier)
    for a, b in view.elements:  # a table-level PRIMARY KEY (a, b)
        if tokens[a].kind is TokenKind.WORD and tokens[a].upper in ("PRIMARY", "CONSTRAINT"):
            at = stmt.find("PRIMARY", "KEY", start=a, stop=b)
            if at != -1:
                found.extend(t.identifier for t in tokens[at + 2 : b] if is_name(t) and t.kind is not TokenKind.PUNCT)
    if not found:
        return []
    start, end = _anchor(stmt, view.name_start)
    name = qualified(stmt, view.name_start, view.name_stop)
    return [Change("not_null", start, end, table=name, columns=[(c, "") for c in dict.fromkeys(found)])]


def _with_nullability(handler: Handler) -> Handler:
    """Added with DSQL116's history (2026-12): the front end's own handler, not a frozen copy
    (but for a CREATE TABLE's columns, :func:`_not_null_columns`)."""

    def both(stmt: Statement) -> list[Change]:
        if stmt.tag == "CREATE TABLE":
            return handler(stmt) + _not_null_columns(stmt)
        return handler(stmt) + [_copy(c) for c in column_nullability(stmt)]

    return both


def _copy(change: object) -> Change:
    fields = ("kind", "start", "end", "txn", "name", "table", "rows", "columns", "flags", "line")
    return Change(**{name: getattr(change, name) for name in fields})


_HANDLERS: dict[str, Handler] = {
    "CREATE TABLE": _with_nullability(_create_table),
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
    # Added with the column-type rule (2026-12): the front end's own handlers, not a frozen copy.
    "CREATE TYPE": create_type_changes,
    "CREATE DOMAIN": create_domain_changes,
    "DO": do_block_type_changes,
}
