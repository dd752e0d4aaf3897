"""``Statement.find`` (which jumps between candidates with ``list.index``) matches a plain scan."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dsql_lint.frontend import syntax
from dsql_lint.frontend.split import split
from dsql_lint.model import Statement
from dsql_lint.text.lexer import TokenKind
from dsql_lint.text.source import Source

ROOT = Path(__file__).resolve().parent.parent
_MATCHABLE = (TokenKind.WORD, TokenKind.OP, TokenKind.PUNCT)


def _scan(stmt: Statement, seq: tuple[str, ...], start: int, stop: int | None, depth: int | None) -> int:
    words, tokens, depths = stmt.words, stmt.tokens, stmt.depths
    last = (len(words) if stop is None else min(stop, len(words))) - len(seq)
    for i in range(start, last + 1):
        if tokens[i].kind is TokenKind.QIDENT or (depth is not None and depths[i] != depth):
            continue
        if all(words[i + k] == s and tokens[i + k].kind in _MATCHABLE for k, s in enumerate(seq)):
            return i
    return -1


def _find(stmt: Statement, seq: tuple[str, ...], start: int, stop: int | None, depth: int | None) -> int:
    return stmt.find(*seq, start=start, stop=stop, depth=depth)


def _outcome(how: Callable[..., int], *args: object) -> int | str:
    try:
        return how(*args)
    except IndexError:  # a negative start reaching before the first token
        return "IndexError"


def test_find_matches_a_plain_scan() -> None:
    sql = (ROOT / "tests" / "corpus" / "core.sql").read_text(encoding="utf-8")
    sql += '\nCREATE TABLE "TABLE" (a int, "NOT" int NOT NULL, b int DEFAULT (NOT NULL));'
    statements = split(Source("core.sql", sql))
    assert len(statements) > 20
    seqs = [("CREATE",), ("TABLE",), ("NOT", "NULL"), ("IF", "NOT", "EXISTS"), ("(",), (",",), ("NOPE",)]
    checked = found = 0
    for stmt in statements:
        n = len(stmt.tokens)
        for seq in seqs:
            for start in (-3, -1, 0, 1, 5, n - 1, n + 2):
                for stop in (None, -2, 0, 3, n // 2, n, n + 5):
                    for depth in (None, 0, 1):
                        expected = _outcome(_scan, stmt, seq, start, stop, depth)
                        assert _outcome(_find, stmt, seq, start, stop, depth) == expected
                        checked += 1
                        found += expected not in (-1, "IndexError")
    assert found > 100 and checked > found


# Random statements: the short ranges tested in place, "absent" answered with ``in``, and
# syntax.closing / split_commas, which search in C too, against the plain readings.
PIECES = ["IF", "NOT", "EXISTS", "if", "'IF'", '"IF"', "(", ")", "[", "]", ",", "KEY", "PRIMARY", "x", "1", "::", "-"]


def _plain_find(stmt: Statement, seq: tuple[str, ...], start: int, stop: int | None, depth: int | None) -> int:
    words, tokens = stmt.words, stmt.tokens
    last = (len(words) if stop is None else min(stop, len(words))) - len(seq)
    for i in range(start, last + 1):
        if depth is not None and stmt.depths[i] != depth:
            continue
        if all(words[i + k] == seq[k] and tokens[i + k].kind in _MATCHABLE for k in range(len(seq))):
            return i
    return -1


def _statement(pieces: list[str]) -> Statement | None:
    stmts = split(Source("p.sql", "SELECT " + " ".join(pieces)))
    return stmts[0] if stmts else None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=25),
    st.lists(st.sampled_from(["IF", "NOT", "EXISTS", "KEY", "(", ","]), min_size=1, max_size=3),
    st.integers(-5, 30),
    st.one_of(st.none(), st.integers(0, 30)),
    st.one_of(st.none(), st.integers(0, 3)),
)
def test_find_is_its_contract(
    pieces: list[str], seq: list[str], start: int, stop: int | None, depth: int | None
) -> None:
    stmt = _statement(pieces)
    if stmt is None:
        return
    if start < 0 and -start > len(stmt.words):
        start = -len(stmt.words)
    assert stmt.find(*seq, start=start, stop=stop, depth=depth) == _plain_find(stmt, tuple(seq), start, stop, depth)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.integers(0, 30))
def test_closing_and_commas_agree_with_the_statement(pieces: list[str], at: int) -> None:
    stmt = _statement(pieces)
    if stmt is None:
        return
    at = min(at, len(stmt.tokens) - 1)
    assert syntax.closing(stmt, at) == stmt.closing(at)
    depths, tokens = stmt.depths, stmt.tokens
    parts, first = [], at
    for i in range(at, len(tokens)):
        if tokens[i].text == "," and tokens[i].kind is TokenKind.PUNCT and depths[i] == depths[at]:
            if i > first:
                parts.append((first, i))
            first = i + 1
    if len(tokens) > first:
        parts.append((first, len(tokens)))
    assert syntax.split_commas(stmt, at, len(tokens)) == parts
