"""Hard cases of the object rules (DSQL202-DSQL233): look-alikes, exact positions, fixes."""

from __future__ import annotations

import pytest

from dsql_lint.model import Diagnostic
from tests.conftest import lint


def _only(sql: str, code: str) -> list[Diagnostic]:
    return [d for d in lint(sql, preset="compat") if d.code == code]


def _flagged(sql: str, code: str) -> list[str]:
    return [sql[d.start : d.end] for d in _only(sql, code)]


def _apply(sql: str, code: str) -> str:
    edits = sorted((e for d in _only(sql, code) if d.fix for e in d.fix.edits), key=lambda e: -e.start)
    for edit in edits:
        sql = sql[: edit.start] + edit.text + sql[edit.end :]
    return sql


def test_temporary_table_points_at_the_temp_words() -> None:
    assert _flagged("CREATE GLOBAL TEMPORARY TABLE t (a int);", "DSQL202") == ["GLOBAL TEMPORARY"]


def test_unlogged_fix_removes_the_keyword_only() -> None:
    sql = "CREATE UNLOGGED TABLE /* cache */ t (a int);"
    assert _apply(sql, "DSQL203") == "CREATE TABLE /* cache */ t (a int);"


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE plpgsql;",
        "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;",
        "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE 'plpgsql' AS 'BEGIN RETURN 1; END';",
    ],
)
def test_language_clause_is_found_before_or_after_the_body(sql: str) -> None:
    assert _flagged(sql, "DSQL210")[0].upper().startswith("LANGUAGE")


def test_words_inside_a_sql_body_are_not_the_language_clause() -> None:
    sql = "CREATE FUNCTION f() RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT language FROM langs; END;"
    assert _only(sql, "DSQL210") == []


def test_trigger_function_in_sql_is_flagged_at_returns_trigger() -> None:
    assert _flagged("CREATE FUNCTION f() RETURNS trigger LANGUAGE sql AS $$ SELECT 1 $$;", "DSQL210") == [
        "RETURNS trigger"
    ]


@pytest.mark.parametrize(
    ("sql", "flagged"),
    [
        ("ALTER FUNCTION f(int) STRICT;", True),
        ("ALTER FUNCTION f RESET ALL;", True),
        ("ALTER FUNCTION f(int) RENAME TO g;", False),
        ("ALTER FUNCTION f(int) NO DEPENDS ON EXTENSION x;", False),
        ("ALTER FUNCTION f(int) SET SCHEMA s;", False),
    ],
)
def test_alter_function_only_flags_property_changes(sql: str, flagged: bool) -> None:
    assert bool(_only(sql, "DSQL213")) is flagged


def test_tablespace_fix_removes_using_index_tablespace() -> None:
    sql = "CREATE TABLE t (id uuid PRIMARY KEY USING INDEX TABLESPACE fast, note text);"
    assert _apply(sql, "DSQL216") == "CREATE TABLE t (id uuid PRIMARY KEY, note text);"


def test_set_tablespace_has_no_fix() -> None:
    found = _only("ALTER TABLE t SET TABLESPACE fast;", "DSQL216")
    assert len(found) == 1
    assert found[0].fix is None


def test_column_named_tablespace_is_not_the_clause() -> None:
    assert _only("ALTER TABLE t ADD COLUMN tablespace text;", "DSQL216") == []


def test_cte_of_create_table_as_is_not_storage_parameters() -> None:
    sql = "CREATE TABLE t AS WITH x (a) AS (SELECT 1) SELECT a FROM x;"
    assert _only(sql, "DSQL223") == []
    assert _flagged(sql, "DSQL220") == ["AS"]


def test_storage_parameters_fix_keeps_the_rest_of_the_statement() -> None:
    sql = "CREATE TABLE t (a int)\nWITH (fillfactor = 70);"
    assert _apply(sql, "DSQL223") == "CREATE TABLE t (a int)\n;"


def test_refresh_materialized_view_names_the_view_not_concurrently() -> None:
    found = _only("REFRESH MATERIALIZED VIEW CONCURRENTLY daily;", "DSQL221")
    assert "`daily`" in found[0].message


def test_drop_trigger_if_exists_is_accepted_and_plain_drop_is_not() -> None:
    assert _only("DROP TRIGGER IF EXISTS trg ON t;", "DSQL232") == []
    assert _flagged("DROP TRIGGER trg ON t;", "DSQL232") == ["DROP TRIGGER"]


def test_drop_trigger_if_exists_without_on_table_is_flagged_up_to_the_name() -> None:
    assert _flagged("DROP TRIGGER IF EXISTS app.trg CASCADE;", "DSQL232") == ["DROP TRIGGER IF EXISTS app.trg"]
    (finding,) = _only("DROP TRIGGER IF EXISTS trg;", "DSQL232")
    assert "`ON table`" in finding.message
    assert _only('DROP TRIGGER IF EXISTS "on" ON t;', "DSQL232") == []


def test_enable_trigger_all_is_not_a_rule_or_rls_action() -> None:
    sql = "ALTER TABLE t ENABLE TRIGGER ALL;"
    assert _only(sql, "DSQL228") == []
    assert _only(sql, "DSQL227") == []


def test_keywords_in_strings_and_comments_are_not_statements() -> None:
    sql = "SELECT 'CREATE EXTENSION x; DO $$ $$; LOAD ''y''' AS s; -- CREATE TYPE t AS ENUM ('a')\n"
    found = [d.code for d in lint(sql, preset="compat")]
    assert not [c for c in found if c.startswith("DSQL2")]
