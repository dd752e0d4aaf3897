"""Rules that skip a statement when it :func:`~dsql_lint.frontend.syntax.mentions` none of their
words report exactly what they report without that test.

The test only lets a rule skip statements it could never report on, so turning it off
(``word_set`` answering "cannot tell" for every statement) must change nothing: on the test
corpus, the rule pages' examples, the shared corpus, and random column declarations written to
hit the corners (quoted and non-ASCII names, case, arrays, long numbers, schema-qualified types).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.config.settings import Settings
from dsql_lint.frontend import syntax
from dsql_lint.model import Statement
from dsql_lint.rules.docs import examples
from dsql_lint.rules.types import _common
from dsql_lint.run.lint import lint_source, make_linter
from dsql_lint.text.source import Source
from tests.conftest import CORPUS, ROOT

#: The rules that call mentions() or has_long_number() before reading a statement's columns.
PREFILTERED = ["DSQL101", "DSQL103", "DSQL112", "DSQL113"]
_LINTER = make_linter(Settings(select=PREFILTERED))


@contextmanager
def _no_word_sets(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every statement's word set "cannot be told": each rule reads every statement in full."""

    def unknown(stmt: Statement) -> None:
        return None

    with monkeypatch.context() as patch:
        patch.setattr(syntax, "word_set", unknown)
        patch.setattr(_common, "word_set", unknown)
        yield


def _found(sql: str) -> list[tuple[str, int, int, str]]:
    result = lint_source(Source("prefilter.sql", sql), _LINTER)
    return [(d.code, d.start, d.end, d.message) for d in result.diagnostics]


def _both(sql: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[str, int, int, str]], ...]:
    with_test = _found(sql)
    with _no_word_sets(monkeypatch):
        without = _found(sql)
    return with_test, without


def test_turning_the_test_off_really_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    # The comparisons below would prove nothing if the patch missed the functions the rules call.
    calls: list[Statement] = []
    real = syntax.word_set

    def counting(stmt: Statement) -> frozenset[str] | None:
        calls.append(stmt)
        return real(stmt)

    monkeypatch.setattr(syntax, "word_set", counting)
    monkeypatch.setattr(_common, "word_set", counting)
    _found("CREATE TABLE t (a int, b varchar(20));")
    assert calls


def test_word_set_is_none_where_names_may_not_be_words() -> None:
    def first(sql: str) -> Statement:
        from dsql_lint.frontend.split import split

        return split(Source("w.sql", sql))[0]

    assert syntax.word_set(first("create table t (a Serial, b int[]);")) == frozenset(
        {"CREATE", "TABLE", "T", "(", "A", "SERIAL", ",", "B", "INT", "[", "]", ")"}
    )
    assert syntax.word_set(first('CREATE TABLE t (a "serial");')) is None
    assert syntax.word_set(first("CREATE TABLE t (é serial);")) is None
    many = "CREATE TABLE t (" + ", ".join(f"c{i} int" for i in range(syntax.WORD_SET_MAX)) + ");"
    assert syntax.word_set(first(many)) is None
    assert syntax.mentions(first(many), frozenset({"NOPE"}))
    assert not syntax.mentions(first("CREATE TABLE t (a int);"), frozenset({"SERIAL"}))


def _texts() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "tests" / "corpus").glob("*.sql")):
        yield path.name, path.read_text(encoding="utf-8")
    for page in sorted((ROOT / "rules").glob("DSQL*.md")):
        for i, block in enumerate(examples(page.read_text(encoding="utf-8"))):
            yield f"{page.name}#{i}", block.sql


def test_same_findings_on_the_corpus_and_the_rule_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    compared = reported = 0
    for name, sql in _texts():
        with_test, without = _both(sql, monkeypatch)
        assert with_test == without, name
        compared += 1
        reported += len(without)
    assert compared > 100 and reported > 50  # the rules did report, so equal lists say something


def test_same_findings_on_the_shared_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (it exists only beside the project in CI)")
    reported = 0
    for path in sorted(CORPUS.rglob("*.sql")):
        try:
            sql = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # not UTF-8: never linted (see test_bad_input)
        with_test, without = _both(sql, monkeypatch)
        assert with_test == without, str(path.relative_to(CORPUS))
        reported += len(without)
    assert reported > 0


_NAMES = st.sampled_from(["a", "A", "é", '"a"', '"Serial"', "b_2", "ſerial"])
_TYPE_WORDS = st.sampled_from(
    [
        "serial",
        "SERIAL8",
        "BigSerial",
        '"serial"',
        '"SERIAL"',
        "ſerial",
        "int",
        "integer",
        "money",
        '"money"',
        "Money",
        "bit",
        "bit varying",
        "varbit",
        "tsvector",
        "int4range",
        "varchar",
        "VarChar",
        '"varchar"',
        "character varying",
        "char",
        "bpchar",
        "numeric",
        "DECIMAL",
        "dec",
        '"numeric"',
        "pg_catalog.money",
        "public.money",
        "text",
        "double precision",
    ]
)
_MODIFIERS = st.sampled_from(
    ["", "(20)", "(4097)", "(65536)", "(1_000_000)", "(999)", "(1001, 2)", "(10, -1001)", "(10, 2)", "(0x1F41)"]
)
_ARRAYS = st.sampled_from(["", "[]", "[][]", "[3]", " ARRAY", " array[2]"])
_TAILS = st.sampled_from(["", " NOT NULL", " DEFAULT 5000", " DEFAULT 'x\"y'", " -- 99999 serial\n", " /* [ */"])


@st.composite
def _column(draw: st.DrawFn) -> str:
    return f"{draw(_NAMES)} {draw(_TYPE_WORDS)}{draw(_MODIFIERS)}{draw(_ARRAYS)}{draw(_TAILS)}"


@st.composite
def _statement(draw: st.DrawFn) -> str:
    columns = draw(st.lists(_column(), min_size=1, max_size=4))
    if draw(st.booleans()):
        return f"CREATE TABLE t ({', '.join(columns)});"
    return "ALTER TABLE t " + ", ".join(f"ADD COLUMN {c}" for c in columns) + ";"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_statement(), min_size=1, max_size=3))
def test_same_findings_on_random_columns(monkeypatch: pytest.MonkeyPatch, statements: list[str]) -> None:
    sql = "\n".join(statements)
    with_test, without = _both(sql, monkeypatch)
    assert with_test == without, sql


def test_random_columns_do_reach_every_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the random test draws from makes each prefiltered rule report (so it compares something).
    sql = (
        "CREATE TABLE t (a serial, c money, d varchar(65536), e numeric(1001, 2));\n"
        'CREATE TABLE u (a "serial", b "money", c é varchar(65536));'
    )
    with_test, without = _both(sql, monkeypatch)
    assert with_test == without
    assert {code for code, *_ in without} == set(PREFILTERED)


def test_prefiltered_rules_are_the_ones_that_call_it() -> None:
    calling = set()
    for path in (ROOT / "dsql_lint" / "rules").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "mentions(stmt" in text or "has_long_number(stmt" in text:
            code = next((line.split('"')[1] for line in text.splitlines() if 'code: ClassVar[str] = "' in line), None)
            if code is not None:
                calling.add(code)
    assert calling == set(PREFILTERED), "add the rule to PREFILTERED so its test is compared"
