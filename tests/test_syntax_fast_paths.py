"""The fast token scans of dsql_lint.syntax give what the plain per-token loops they replaced gave.

``closing`` and ``split_commas`` jump between candidate tokens with ``list.index``; here they are
compared with straightforward loops on every statement of the rule pages and tests/corpus, for
every bracket (and every start position), and on random token soups.
"""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from dsql_lint.docs import examples, page_path
from dsql_lint.engine import Linter
from dsql_lint.lexer import TokenKind
from dsql_lint.model import Statement
from dsql_lint.registry import all_rules
from dsql_lint.settings import Settings
from dsql_lint.source import Source, read_path
from dsql_lint.syntax import closing, declared_columns, split_commas
from tests.conftest import ROOT


def _reference_split_commas(stmt: Statement, start: int, stop: int) -> list[tuple[int, int]]:
    if start >= stop:
        return []
    base = stmt.depths[start]
    parts = []
    first = start
    for i in range(start, stop):
        tok = stmt.tokens[i]
        if stmt.depths[i] == base and tok.kind is TokenKind.PUNCT and tok.text == ",":
            if i > first:
                parts.append((first, i))
            first = i + 1
    if stop > first:
        parts.append((first, stop))
    return parts


def _reference_closing(stmt: Statement, index: int) -> int:
    target = stmt.depths[index]
    for i in range(index + 1, len(stmt.tokens)):
        tok = stmt.tokens[i]
        if stmt.depths[i] == target and tok.kind is TokenKind.PUNCT and tok.text in ")]":
            return i
    return len(stmt.tokens) - 1


def _statements(sources: list[Source]) -> Iterator[Statement]:
    linter = Linter(Settings(preset="all"))
    for source in sources:
        yield from linter.build(source)[0].statements


def _sources() -> list[Source]:
    sources = [read_path(p) for p in sorted((ROOT / "tests" / "corpus").rglob("*.sql"))]
    for rule in all_rules():
        path = page_path(rule)
        if path is not None:
            sources += [Source("page.sql", b.sql) for b in examples(path.read_text(encoding="utf-8"))]
    return sources


def _check(stmt: Statement) -> int:
    n = len(stmt.tokens)
    checked = 0
    # every bracket, and a sample of other starts (all of them is quadratic on long statements)
    step = 7 if n < 300 else 101
    for i in (i for i in range(n) if i % step == 0 or stmt.tokens[i].text in ("(", "[")):
        assert closing(stmt, i) == _reference_closing(stmt, i) == stmt.closing(i), (stmt.text, i)
        if i % step == 0:
            assert split_commas(stmt, i, n) == _reference_split_commas(stmt, i, n), (stmt.text, i)
        if stmt.tokens[i].text in ("(", "["):
            close = closing(stmt, i)
            assert split_commas(stmt, i + 1, close) == _reference_split_commas(stmt, i + 1, close)
        checked += 1
    return checked


def test_closing_and_split_commas_match_the_plain_loops_on_real_statements() -> None:
    assert sum(_check(stmt) for stmt in _statements(_sources())) > 10_000


_PIECES = ["(", ")", "[", "]", ",", "a", "','", '","', "1", "+", "ARRAY", "x)", "(y"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=40))
def test_closing_and_split_commas_match_the_plain_loops_on_token_soups(pieces: list[str]) -> None:
    for stmt in _statements([Source("soup.sql", "SELECT " + " ".join(pieces))]):
        _check(stmt)


def test_declared_columns_are_the_same_objects_on_every_call() -> None:
    stmt = next(_statements([Source("t.sql", "ALTER TABLE t ADD COLUMN a int, ADD COLUMN b text;")]))
    first = declared_columns(stmt)
    assert [c.name.text for c in first] == ["a", "b"]
    assert declared_columns(stmt) is first
    assert declared_columns(stmt, include_added=False) == []


def _reference_depths(stmt: Statement) -> list[int]:
    depths = []
    depth = 0
    for tok in stmt.tokens:
        if tok.kind is TokenKind.PUNCT and tok.text in ")]":
            depth = max(depth - 1, 0)
        depths.append(depth)
        if tok.kind is TokenKind.PUNCT and tok.text in "([":
            depth += 1
    return depths


def test_statement_depths_match_the_plain_loop() -> None:
    count = 0
    for stmt in _statements([*_sources(), Source("c.sql", "COPY t FROM STDIN;\n(\n]\n\\.\nSELECT (1]);")]):
        assert stmt.depths == _reference_depths(stmt), stmt.text
        count += 1
    assert count > 1000


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "'('", '"]"', "-- (", "$$(]$$"]), min_size=1, max_size=40))
def test_statement_depths_match_the_plain_loop_on_token_soups(pieces: list[str]) -> None:
    for stmt in _statements([Source("soup.sql", "SELECT " + " ".join(pieces))]):
        assert stmt.depths == _reference_depths(stmt)
