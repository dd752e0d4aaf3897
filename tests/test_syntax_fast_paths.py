"""The fast token scans of dsql_lint.frontend.syntax give what the plain per-token loops they replaced gave.

``closing`` and ``split_commas`` jump between candidate tokens with ``list.index``; here they are
compared with straightforward loops on every statement of the rule pages and tests/corpus, for
every bracket (and every start position), and on random token soups.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsql_lint.config.settings import Settings
from dsql_lint.frontend.syntax import closing, column_def, create_table, declared_columns, split_commas
from dsql_lint.lint.engine import Linter
from dsql_lint.model import Statement
from dsql_lint.rules.docs import examples, page_path
from dsql_lint.rules.registry import all_rules
from dsql_lint.text.lexer import TokenKind
from dsql_lint.text.source import Source, SourceError, read_path
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


def _reference_create_table(stmt: Statement) -> tuple[object, ...] | None:
    """What create_table() gave before its one-pass element list: closing, split_commas, column_def."""
    table = create_table(stmt)
    if table is None or table.open_paren == -1:
        return None
    close = _reference_closing(stmt, table.open_paren)
    elements = _reference_split_commas(stmt, table.open_paren + 1, close)
    columns = [column_def(stmt, a, b) for a, b in elements]
    return close, elements, [(c.name_index, c.type_start, c.type_stop, c.stop) for c in columns if c is not None]


def _one_pass_create_table(stmt: Statement) -> tuple[object, ...] | None:
    table = create_table(stmt)
    if table is None or table.open_paren == -1:
        return None
    columns = [(c.name_index, c.type_start, c.type_stop, c.stop) for c in table.columns]
    return table.close_paren, table.elements, columns


def _shared_sources(corpus_dir: Path) -> list[Source]:
    """Every readable SQL file of the shared corpus (pg-regress, splitter goldens, framework samples)."""
    sources = []
    for path in sorted(corpus_dir.rglob("*.sql")):
        try:
            sources.append(read_path(path))
        except SourceError:
            continue
    return sources


def _create_tables(sources: list[Source]) -> Iterator[Statement]:
    return (s for s in _statements(sources) if s.tag == "CREATE TABLE")


def test_create_table_one_pass_matches_closing_split_commas_and_column_def() -> None:
    compared = 0
    for stmt in _create_tables(_sources()):
        assert _one_pass_create_table(stmt) == _reference_create_table(stmt), stmt.text
        compared += 1
    assert compared > 300


@pytest.mark.corpus
def test_create_table_one_pass_matches_on_the_shared_corpus(corpus_dir: Path) -> None:
    compared = 0
    for stmt in _create_tables(_shared_sources(corpus_dir)):
        assert _one_pass_create_table(stmt) == _reference_create_table(stmt), stmt.text
        compared += 1
    assert compared > 1000


_TABLE_PIECES = [
    *_PIECES, "NOT", "NULL", "DEFAULT", "ON", "UPDATE", "ON UPDATE", "PRIMARY", "KEY", "CONSTRAINT",
    "CHECK", "REFERENCES", "COLLATE", '"c"', "varchar(20)", "numeric(1, 2)", "int[]", "'x'", ";",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TABLE_PIECES), min_size=0, max_size=40))
def test_create_table_one_pass_matches_on_token_soups(pieces: list[str]) -> None:
    for stmt in _create_tables([Source("soup.sql", "CREATE TABLE t (" + " ".join(pieces))]):
        assert _one_pass_create_table(stmt) == _reference_create_table(stmt), stmt.text


def _type_refs_agree(stmt: Statement) -> int:
    from dsql_lint.rules.types._common import _read_type, _read_type_by_depths

    compared = 0
    for col in declared_columns(stmt):
        assert _read_type(col) == _read_type_by_depths(col), stmt.text
        compared += 1
    return compared


def test_column_types_read_without_depths_match_the_depth_based_reading() -> None:
    assert sum(_type_refs_agree(stmt) for stmt in _statements(_sources())) > 1000


@pytest.mark.corpus
def test_column_types_read_without_depths_match_on_the_shared_corpus(corpus_dir: Path) -> None:
    assert sum(_type_refs_agree(stmt) for stmt in _statements(_shared_sources(corpus_dir))) > 5000


_TYPE_PIECES = [
    "a", "b.c", '"t"', "x", "int", "double", "precision", "varying", "character", "time", "with", "zone",
    "interval", "year", "to", "month", "ARRAY", "ARRAY[3]", "[", "]", "[]", "(", ")", "(1)", "(1, 2)", ")]", ".", ",",
    "NOT", "NULL", "(1]", "[1)",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TYPE_PIECES), min_size=1, max_size=12), st.booleans())
def test_column_types_read_without_depths_match_on_token_soups(pieces: list[str], alter: bool) -> None:
    head = "ALTER TABLE t ADD COLUMN c " if alter else "CREATE TABLE t (c "
    for stmt in _statements([Source("soup.sql", head + " ".join(pieces))]):
        _type_refs_agree(stmt)


@pytest.mark.parametrize(
    "text",
    [
        "CREATE TABLE t (c varchar(1] x, d int)",
        "CREATE TABLE t (c int[(1)], d x.y ARRAY, e double precision(1 ( 2 ] ) x)",
        "ALTER TABLE t ADD COLUMN c numeric(1] x",
        "ALTER TABLE t ADD COLUMN c int ) x y",
        "ALTER TABLE t ADD COLUMN c a.b(1)(2) [] x",
        "ALTER TABLE t ADD COLUMN c time(3 with time zone",
        "ALTER TABLE t ADD COLUMN c interval day to second(3)",
    ],
)
def test_column_types_read_without_depths_match_on_edge_cases(text: str) -> None:
    assert sum(_type_refs_agree(stmt) for stmt in _statements([Source("e.sql", text)])) >= 1
