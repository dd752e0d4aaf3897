"""Lower bounds on the rows a statement writes, read from its tokens."""

from __future__ import annotations

from dataclasses import dataclass

from dsql_lint.frontend.syntax import NUMBER, OP, PUNCT, WORD
from dsql_lint.model import Statement
from dsql_lint.records import Record
from dsql_lint.text.lexer import Token


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class RowCount(Record):
    """At least ``rows`` rows are written; ``anchor`` is the token to point at, ``how`` says why."""

    rows: int
    anchor: Token
    how: str
    from_values: bool = False

    def __init__(self, rows: int, anchor: Token, how: str, from_values: bool = False) -> None:
        self.rows = rows
        self.anchor = anchor
        self.how = how
        self.from_values = from_values


def insert_rows(stmt: Statement) -> RowCount | None:
    """The rows an INSERT provably writes: its VALUES rows, or a generate_series with literal bounds."""
    if stmt.tag != "INSERT":
        return None
    at = stmt.find("INSERT", depth=0)
    if at == -1 or (stmt.has("ON", "CONFLICT", depth=0) and stmt.has("DO", "NOTHING", depth=0)):
        return None
    values = stmt.find("VALUES", start=at, depth=0)
    if values != -1:
        rows = _count_rows(stmt, values)
        return RowCount(rows, stmt.tokens[values], f"{rows:,} rows in VALUES", True) if rows else None
    select = stmt.find("SELECT", start=at, depth=0)
    if select == -1:
        return None
    return _generate_series_rows(stmt, select)


def _count_rows(stmt: Statement, values: int) -> int:
    """Top-level ``( ... )`` groups after VALUES, separated by commas."""
    tokens = stmt.tokens
    depths = stmt.depths
    base = depths[values]
    rows = 0
    expect_row = True
    for i in range(values + 1, len(tokens)):
        if depths[i] != base:
            continue
        tok = tokens[i]
        if tok.kind is PUNCT:
            if tok.text == "(" and expect_row:
                rows += 1
                expect_row = False
                continue
            if tok.text == ",":
                expect_row = True
                continue
            if tok.text == ")":
                continue
        break  # ON CONFLICT, RETURNING ...: the rows are over
    return rows


_FILTERS = frozenset(
    {"WHERE", "LIMIT", "FETCH", "OFFSET", "GROUP", "HAVING", "DISTINCT", "JOIN", "UNION", "EXCEPT", "INTERSECT"}
)


def _generate_series_rows(stmt: Statement, select: int) -> RowCount | None:
    """``SELECT ... generate_series(a, b [, step]) ...`` with nothing that could drop rows."""
    tokens = stmt.tokens
    depths = stmt.depths
    base = depths[select]
    call = -1
    for i in range(select + 1, len(tokens)):
        tok = tokens[i]
        if depths[i] == base and tok.kind is WORD and tok.upper in _FILTERS:
            return None
        if depths[i] == base and tok.is_word("FROM"):
            # exactly one FROM item, and it must be the series itself
            if not (i + 1 < len(tokens) and tokens[i + 1].text.lower() == "generate_series"):
                return None
            if any(depths[k] == base and tokens[k].text == "," for k in range(i + 1, len(tokens))):
                return None
        if call == -1 and tok.kind is WORD and tok.text.lower() == "generate_series" and depths[i] == base:
            call = i
    if call == -1 or call + 1 >= len(tokens) or tokens[call + 1].text != "(":
        return None
    args = _int_args(stmt, call + 1)
    if args is None or len(args) not in (2, 3):
        return None
    first, last = args[0], args[1]
    step = args[2] if len(args) == 3 else 1
    if step == 0 or (last - first) * step < 0:
        return None
    rows = (last - first) // step + 1
    return RowCount(rows, tokens[call], f"generate_series({', '.join(str(a) for a in args)}) yields {rows:,} rows")


def _int_args(stmt: Statement, open_paren: int) -> list[int] | None:
    """The arguments of a call when every one is an integer literal (optionally negative)."""
    tokens = stmt.tokens
    close = stmt.closing(open_paren)
    args: list[int] = []
    sign = 1
    expect = True
    for tok in tokens[open_paren + 1 : close]:
        if tok.kind is OP and tok.text == "-" and expect:
            sign = -sign
        elif tok.kind is NUMBER and expect and tok.text.isdigit():
            args.append(sign * int(tok.text))
            sign, expect = 1, False
        elif tok.kind is PUNCT and tok.text == "," and not expect:
            expect = True
        else:
            return None
    return args if not expect else None
