"""The optimised folder-pass summaries are exactly what the straightforward version produced.

``tests/reference_summary.py`` is a frozen copy of ``dsql_lint/migrations/summary.py`` from
before it shared the statement rules' views and stopped re-searching statements for fixed
keyword runs. Every change (kind, offsets, transaction, names, rows, columns, flags, line)
and every transaction summary must be identical on every real file we have, on the benchmark
corpus, and on random DDL/DML built from the constructs the summaries read, whether or not
the statement rules ran first (they fill the per-statement views summarize now reuses).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import marshal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.config.settings import Settings
from dsql_lint.lint.engine import Linter
from dsql_lint.migrations import summarize
from dsql_lint.migrations.summary import FileSummary
from dsql_lint.run import cache
from dsql_lint.text.source import Source
from tests import reference_summary as ref
from tests.conftest import CORPUS, ROOT

_LINTER = Linter(Settings())


def _rows(summary: Any) -> tuple[Any, ...]:
    return (
        summary.path,
        [dataclasses.astuple(c) for c in summary.changes],
        [dataclasses.astuple(t) for t in summary.transactions],
    )


def assert_same_summary(path: str, text: str) -> None:
    """summarize() agrees with the reference, with the statement rules run first and without."""
    source = Source(path, text)
    script, _ = _LINTER.build(source)
    bare = _rows(summarize(script))  # views not computed yet: summarize builds them
    assert bare == _rows(ref.summarize(script))
    _LINTER.lint_script(script)
    assert _rows(summarize(script)) == bare  # views computed by the rules first, as in a run
    script, _ = _LINTER.build(source)
    assert _rows(ref.summarize(script)) == bare
    assert_same_codec(summarize(script))


def assert_same_codec(summary: FileSummary) -> None:
    """FileSummary's own codec stores and rebuilds exactly what the cache's generic codec does."""
    packed = summary.packed()
    assert packed == cache._share(cache.pack(summary), {})
    assert marshal.dumps(packed) == marshal.dumps(cache._share(cache.pack(summary), {}))
    rebuilt = cache.unpack_summary(FileSummary, cache.summary_blob(summary))
    assert rebuilt == cache.unpack(FileSummary, marshal.loads(marshal.dumps(packed))) == summary


def test_own_codec_refuses_malformed_data() -> None:
    for data in [[], ("p", []), ("p", [("create_table",)], []), ("p", [], [[0, "r", True, 0, 1]])]:
        with pytest.raises((TypeError, ValueError)):
            FileSummary.from_packed(data)
        with pytest.raises((TypeError, ValueError)):
            cache.unpack(FileSummary, data)


def _text_files(*roots: Path) -> list[Path]:
    files = []
    for root in roots:
        if root.is_dir():
            files.extend(p for p in sorted(root.rglob("*.sql")) if p.is_file())
    return files


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


LOCAL_FILES = _text_files(ROOT / "tests" / "corpus", ROOT / "tests" / "data", ROOT / "tests" / "migrations")
SHARED_FILES = _text_files(CORPUS)


@pytest.mark.parametrize("path", LOCAL_FILES, ids=[str(p.relative_to(ROOT)) for p in LOCAL_FILES])
def test_same_summary_on_project_files(path: Path) -> None:
    text = _read(path)
    if text is None:
        pytest.skip("not UTF-8 text")
    assert_same_summary(str(path), text)


@pytest.mark.corpus
@pytest.mark.parametrize("path", SHARED_FILES, ids=[str(p.relative_to(CORPUS)) for p in SHARED_FILES])
def test_same_summary_on_shared_corpus(path: Path) -> None:
    text = _read(path)
    if text is None:
        pytest.skip("not UTF-8 text")
    assert_same_summary(str(path), text)


def test_same_summary_on_the_benchmark_corpus(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.write_folder(tmp_path, files=200, statements=2000)
    for path in paths:
        assert_same_summary(str(path), path.read_text(encoding="utf-8"))


NAMES = ["t", "T", '"T"', '"a""b"', "public.t", "s.t", "public", '"public".x', "t1", "only", 'U&"q"']
TYPES = ["int", "text", "character varying(20)", "numeric(10, 2)", "int[]", "timestamptz", "uuid", ""]
COLUMN_TAILS = [
    "",
    " NOT NULL",
    " PRIMARY KEY",
    " UNIQUE",
    " DEFAULT 0",
    " CHECK (x > 0)",
    " REFERENCES t (id)",
    " CONSTRAINT c UNIQUE",
    " PRIMARY KEY DEFAULT gen_random_uuid()",
    " GENERATED ALWAYS AS IDENTITY",
    " ON UPDATE now()",
    " DEFAULT (1) UNIQUE",
    # unbalanced and mixed brackets: depths are counted the same way in and out of the summaries
    " DEFAULT ((1) UNIQUE",
    " CHECK (a)) PRIMARY KEY",
    " ] UNIQUE",
    " [ PRIMARY KEY ] UNIQUE",
    " DEFAULT (1] PRIMARY KEY",
]
TABLE_ELEMENTS = [
    "PRIMARY KEY (a)",
    "UNIQUE (a, b)",
    "CONSTRAINT k PRIMARY KEY (a)",
    'CONSTRAINT "K" UNIQUE (a)',
    "CONSTRAINT c CHECK (a > 0)",
    "FOREIGN KEY (a) REFERENCES t (id)",
    "LIKE other",
    "EXCLUDE USING gist (a WITH =)",
    "UNIQUE",
    "PRIMARY",
]


@st.composite
def _column(draw: st.DrawFn) -> str:
    return f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(TYPES))}{draw(st.sampled_from(COLUMN_TAILS))}"


@st.composite
def _statement(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(NAMES))
    other = draw(st.sampled_from(NAMES))
    choice = draw(st.integers(0, 13))
    if choice == 0:
        elements = draw(st.lists(st.one_of(_column(), st.sampled_from(TABLE_ELEMENTS)), max_size=5))
        ine = draw(st.sampled_from(["", "IF NOT EXISTS "]))
        return f"CREATE TABLE {ine}{name} ({', '.join(elements)})"
    if choice == 1:
        actions = draw(
            st.lists(
                st.one_of(
                    _column().map(lambda c: "ADD " + c),
                    _column().map(lambda c: "ADD COLUMN " + c),
                    _column().map(lambda c: "ADD COLUMN IF NOT EXISTS " + c),
                    st.sampled_from(TABLE_ELEMENTS).map(lambda e: "ADD " + e),
                    st.just("ADD CONSTRAINT k UNIQUE USING INDEX i"),
                    st.just("ADD PRIMARY KEY USING INDEX"),
                    st.sampled_from(NAMES).map(lambda n: "DROP " + n),
                    st.sampled_from(NAMES).map(lambda n: "DROP COLUMN IF EXISTS " + n),
                    st.just("DROP CONSTRAINT IF EXISTS k"),
                    st.just("DROP CONSTRAINT"),
                    st.sampled_from(NAMES).map(lambda n: f"RENAME TO {n}"),
                    st.sampled_from(NAMES).map(lambda n: f"RENAME COLUMN a TO {n}"),
                    st.just("RENAME a TO b"),
                    st.just("RENAME CONSTRAINT a TO b"),
                    st.just("ADD"),
                    st.just("ALTER COLUMN a TYPE int"),
                ),
                max_size=4,
            )
        )
        head = draw(st.sampled_from(["", "ASYNC ", "IF EXISTS ", "ONLY "]))
        return f"ALTER TABLE {head}{name} {', '.join(actions)}"
    if choice == 2:
        unique = draw(st.sampled_from(["", "UNIQUE "]))
        mode = draw(st.sampled_from(["", "ASYNC ", "CONCURRENTLY ", "ASYNC IF NOT EXISTS "]))
        idx = draw(st.sampled_from(["", "i ", "s.i ", '"I" ']))
        only = draw(st.sampled_from(["", "ONLY "]))
        keys = draw(st.sampled_from(["(a)", "(a, b DESC)", "((lower(a)))", "USING btree (a)", ""]))
        return f"CREATE {unique}INDEX {mode}{idx}ON {only}{other} {keys}"
    if choice == 3:
        rows = draw(st.lists(st.sampled_from(["(1, 'a')", "(DEFAULT, (2))", "((SELECT 1), 2)"]), max_size=4))
        tail = draw(
            st.sampled_from(
                [
                    "",
                    " ON CONFLICT DO NOTHING",
                    " RETURNING id",
                    " RETURNING (id), (a)",
                    " ON CONFLICT (a) DO UPDATE SET a = (1) RETURNING (a)",
                    " ON CONFLICT (a) DO UPDATE SET a = 1",
                ]
            )
        )
        body = f"VALUES {', '.join(rows)}" if rows else draw(st.sampled_from(["DEFAULT VALUES", "VALUES"]))
        return f"INSERT INTO {name} (a, b) {body}{tail}"
    if choice == 4:
        src = draw(
            st.sampled_from(
                [
                    "SELECT * FROM s",
                    "SELECT 1",
                    "SELECT a FROM s LIMIT 10",
                    "SELECT a FROM s LIMIT 5000",
                    "SELECT a FROM s LIMIT ALL",
                    "(SELECT a FROM s)",
                    "SELECT a FROM s WHERE a IN (VALUES (1))",
                ]
            )
        )
        return f"INSERT INTO {name} {src}"
    if choice == 5:
        where = draw(st.sampled_from(["", " WHERE a = 1", " FROM s WHERE s.a = t.a", " WHERE (a IN (SELECT 1))"]))
        verb = draw(st.sampled_from([f"UPDATE {name} SET a = 1", f"UPDATE ONLY {name} SET a = (SELECT 1 WHERE true)"]))
        return verb + where
    if choice == 6:
        where = draw(st.sampled_from(["", " WHERE a = 1", " USING s WHERE s.a = t.a"]))
        only = draw(st.sampled_from(["", "ONLY "]))
        return f"DELETE FROM {only}{name}{where}"
    if choice == 7:
        what = draw(st.sampled_from(["TABLE", "INDEX", "INDEX CONCURRENTLY", "SCHEMA", "SEQUENCE", "VIEW"]))
        ie = draw(st.sampled_from(["", "IF EXISTS "]))
        tail = draw(st.sampled_from(["", " CASCADE", " RESTRICT"]))
        return f"DROP {what} {ie}{name}, {other}{tail}"
    if choice == 8:
        ine = draw(st.sampled_from(["", "IF NOT EXISTS "]))
        auth = draw(st.sampled_from(["", "AUTHORIZATION "]))
        return f"CREATE SCHEMA {ine}{auth}{name}"
    if choice == 9:
        what = draw(st.sampled_from(["SEQUENCE", "VIEW", "OR REPLACE VIEW", "TEMP SEQUENCE"]))
        ine = draw(st.sampled_from(["", "IF NOT EXISTS "]))
        tail = " AS SELECT 1" if "VIEW" in what else ""
        return f"CREATE {what} {ine}{name}{tail}"
    if choice == 10:
        return draw(st.sampled_from(["CALL sys.wait_for_job('j')", "SELECT sys.wait_for_job('j')", "SELECT 1"]))
    if choice == 11:
        return draw(
            st.sampled_from(["BEGIN", "COMMIT", "ROLLBACK", "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"])
        )
    if choice == 12:
        return f"CREATE TABLE {name} AS SELECT * FROM {other}"
    return f"CREATE TABLE {name} ({draw(_column())}, {draw(_column())}) PARTITION BY RANGE (a)"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_statement(), min_size=1, max_size=6),
    st.sampled_from(["V1__x.sql", "x.sql", "1_x.up.sql"]),
    st.sampled_from(["", "-- +goose Up\n", "-- migrate:up\n"]),
)
def test_same_summary_on_random_migrations(statements: list[str], name: str, header: str) -> None:
    assert_same_summary(name, header + ";\n".join(statements) + ";\n")
