"""PostgreSQL 16's own grammar (libpg_query) as the first syntax check, sqlglot on demand."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dsql_lint.frontend import pgsyntax
from dsql_lint.frontend.script import build_script
from dsql_lint.model import UNPARSED, Kind
from dsql_lint.text.source import Source
from tests.conftest import codes, lint


def one(sql: str):  # type: ignore[no-untyped-def]
    (stmt,) = build_script(Source("t.sql", sql)).statements
    return stmt


def test_libpg_query_is_installed() -> None:
    assert pgsyntax.available()


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE INDEX ASYNC i ON t (a)",
        "CREATE UNIQUE INDEX ASYNC IF NOT EXISTS i ON t (a) INCLUDE (b) WHERE a > 0",
        "create index async on t (a)",
        "ALTER TABLE ASYNC t VALIDATE CONSTRAINT c",
        "alter table async if exists only t validate constraint c",
        "SELECT 'é' AS é, ü FROM tablé",  # non-ASCII identifiers are identifier characters in PostgreSQL
        "SELECT $é$ body $é$",
    ],
)
def test_valid_dsql_is_accepted_by_the_postgresql_grammar(sql: str) -> None:
    assert pgsyntax.accepts(one(sql))


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE INDEX ASYNC public.i ON t (a)",  # index names are never schema-qualified
        "CREATE TABLE t (a int",
        "SELECT 1 +",
        "SELECT * FROM t WHERE a = :limit",  # a psql variable: psql substitutes it, PostgreSQL never sees it
        "SELECT 'a\x00b'",  # libpg_query reads C strings: never asked about a NUL
        "ALTER INDEX ASYNC i RENAME TO j",  # ASYNC only where DSQL has it
    ],
)
def test_what_postgresql_rejects_or_cannot_see_goes_to_sqlglot(sql: str) -> None:
    assert not pgsyntax.accepts(one(sql))


def test_masking_keeps_every_offset() -> None:
    stmt = one("CREATE UNIQUE INDEX ASYNC ï ON t (a);")
    text = pgsyntax.dsql_text(stmt)
    assert text == "CREATE UNIQUE INDEX       x ON t (a);"
    assert len(text) == len(stmt.text)


def test_a_statement_postgresql_accepts_is_parsed_by_sqlglot_only_when_asked() -> None:
    stmt = one("CREATE INDEX ASYNC i ON t (a DESC)")
    assert stmt._ast is UNPARSED and stmt.parse_failure is None
    tree = stmt.ast
    assert type(tree).__name__ == "Create" and tree.meta.get("dsql_async") is True
    assert stmt.ast is tree  # parsed once


def test_sqlglot_gaps_in_postgresql_grammar_are_not_parse_errors() -> None:
    # Valid PostgreSQL 16 that sqlglot cannot parse: no DSQL001, and reading the tree gives None.
    sql = "WITH t AS (VALUES (1)) VALUES (2);"
    assert "DSQL001" not in codes(sql, preset="all")
    stmt = one(sql)
    assert stmt.ast is None and stmt.parse_failure is None


def test_a_statement_both_parsers_reject_reports_sqlglots_position() -> None:
    (diag,) = [d for d in lint("SELECT 1;\nCREATE TABLE t (a int DEFAULT);\n") if d.code == "DSQL001"]
    assert (diag.line, diag.column) == (2, 30)


def test_data_modifying_cte_is_still_dml() -> None:
    stmt = one("WITH moved AS (DELETE FROM a RETURNING *) SELECT * FROM moved")
    assert stmt.kind is Kind.DML


def test_plain_query_is_not_parsed_by_sqlglot() -> None:
    stmt = one("SELECT a FROM t WHERE b = 'INSERT'")
    assert stmt.kind is Kind.QUERY and stmt._ast is UNPARSED


def test_linting_valid_sql_never_imports_sqlglot(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "V1__init.sql"
    path.write_text(
        "CREATE TABLE accounts (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL);\n"
        "CREATE INDEX accounts_email ON accounts (email DESC);\n",
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from dsql_lint.cli.app import main\n"
        "try:\n"
        f"    main(['check', '--no-cache', {str(path)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 1, exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlglot'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "DSQL301" in out and "DSQL302" in out
    assert out.strip().splitlines()[-1] == "[]"


def test_libpg_query_is_called_directly_without_importing_pglast() -> None:
    code = (
        "import sys\nfrom dsql_lint.frontend import pgsyntax\n"
        "print(type(pgsyntax._PARSER).__name__, 'pglast' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["_Library", "False"]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT 1",
        "SELECT 1 +",
        "CREATE TABLE t (a int PRIMARY KEY, b text[] DEFAULT '{}')",
        "CREATE INDEX i ON t USING gin (a jsonb_path_ops) WHERE b IS NOT NULL",
        "INSERT INTO t VALUES (1__000)",
        "SELECT 'a' 'b'",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r",
        "SELECT " + "(" * 2000 + "1" + ")" * 2000,
    ],
)
def test_the_direct_call_agrees_with_pglast(text: str) -> None:
    assert pgsyntax._Library(pgsyntax._extension_path() or "").accepts(text) is pgsyntax._Pglast().accepts(text)


def test_what_sqlglot_reads_but_postgresql_rejects_is_a_parse_error_with_postgresqls_words() -> None:
    (diag,) = [d for d in lint("SELECT 1;\nSELECT 1__000;\n") if d.code == "DSQL001"]
    assert (diag.line, diag.column, diag.end_column) == (2, 8, 14)  # the numeral
    assert diag.message == (
        'cannot parse this statement: trailing junk after numeric literal at or near "1_" (PostgreSQL 16)'
    )


def test_a_reserved_word_as_a_column_name_is_a_parse_error() -> None:
    (diag,) = [d for d in lint("CREATE TABLE t (using text);\n") if d.code == "DSQL001"]
    assert "syntax error at or near" in diag.message and (diag.column, diag.end_column) == (17, 22)


def test_a_rule_that_explains_the_syntax_error_replaces_it() -> None:
    # PostgreSQL rejects the schema on an index name; DSQL305 says so in DSQL's terms.
    assert sorted(set(codes("CREATE INDEX ASYNC public.i ON t (a);\n", preset="compat"))) == ["DSQL305"]


def test_psql_variables_are_not_postgresql_syntax_errors() -> None:
    assert "DSQL001" not in codes("SELECT * FROM t WHERE id = :id;\nSELECT :'name';\n", preset="all")


def test_postgresqls_error_position_is_a_character_offset_after_non_ascii_text() -> None:
    (diag,) = [d for d in lint("SELECT 'ééé', 1__000;\n") if d.code == "DSQL001"]
    assert (diag.column, diag.end_column) == (15, 21)


def test_the_batch_check_agrees_with_pglast() -> None:
    # The texts above, as one file: checked together through the C API, alone through pglast's module.
    texts = [
        "SELECT 1",
        "SELECT 1 +",
        "CREATE TABLE t (a int PRIMARY KEY, b text[] DEFAULT '{}')",
        "INSERT INTO t VALUES (1__000)",
        "SELECT 'a' 'b'",
        "CREATE INDEX ASYNC i ON t (a)",
        "SELECT " + "(" * 2000 + "1" + ")" * 2000,
        "SELECT 'é' AS é",
    ]
    stmts = build_script(Source("t.sql", ";\n".join(texts))).statements
    together = pgsyntax.accepted(stmts)
    assert together == pgsyntax.accepted(stmts, pgsyntax._Pglast()) == [pgsyntax.accepts(s) for s in stmts]
    assert together == [True, False, True, False, False, True, True, True]  # 'a' 'b': no newline between
