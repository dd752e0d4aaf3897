"""Hard cases of the command rules DSQL601-DSQL615."""

from __future__ import annotations

from tests._catalog_helpers import flagged, only


def test_truncate_has_no_fix_since_delete_from_would_be_dsql825() -> None:
    # A DELETE of every row fails past 3,000 rows: the fix only traded this error for DSQL825.
    assert [d.fix for d in only("TRUNCATE TABLE ONLY app.t;", "DSQL601")] == [None]
    assert [d.fix for d in only("TRUNCATE a, b;", "DSQL601")] == [None]


def test_copy_points_at_the_server_file_and_leaves_stdin_alone() -> None:
    assert flagged("COPY t FROM '/x.csv';", "DSQL606") == ["FROM '/x.csv'"]
    assert flagged("COPY (SELECT * FROM t) TO PROGRAM 'gzip';", "DSQL606") == ["TO PROGRAM"]
    assert only("COPY (SELECT 'FROM /x' FROM t) TO STDOUT;", "DSQL606") == []


def test_deallocate_all_is_accepted_in_both_spellings() -> None:
    assert only("DEALLOCATE ALL;", "DSQL608") == []
    assert only("DEALLOCATE PREPARE ALL;", "DSQL608") == []
    assert flagged("DEALLOCATE PREPARE q;", "DSQL608") == ["DEALLOCATE PREPARE q"]


def test_prepare_transaction_is_not_an_sql_prepare() -> None:
    assert only("PREPARE TRANSACTION 'x';", "DSQL607") == []


def test_locking_clauses_in_subqueries_are_each_flagged() -> None:
    sql = "SELECT * FROM t WHERE a IN (SELECT a FROM u FOR SHARE) AND b IN (SELECT b FROM v FOR NO KEY UPDATE);"
    assert flagged(sql, "DSQL612") == ["FOR SHARE", "FOR NO KEY UPDATE"]
    assert only("SELECT * FROM t FOR UPDATE; ", "DSQL612") == []
    assert only("SELECT * FROM t FOR KEY SHARE;", "DSQL612") == []


def test_merge_after_with_points_at_merge() -> None:
    sql = "WITH d AS (SELECT 1 AS id) MERGE INTO t USING d ON t.id = d.id WHEN MATCHED THEN DELETE;"
    assert flagged(sql, "DSQL611") == ["MERGE"]


def test_text_search_is_an_error_on_calls_only_in_queries_and_index_expressions() -> None:
    (finding,) = only("SELECT to_tsvector('simple', body) FROM docs;", "DSQL614")
    assert finding.severity.value == "error"  # facts.md 8.1: DSQL ships no text search configuration at all
    assert len(only("CREATE INDEX ASYNC docs_fts ON docs USING gin (to_tsvector('english', body));", "DSQL614")) == 1
    assert only("SELECT to_tsvector FROM docs;", "DSQL614") == []
    assert only("CREATE FUNCTION to_tsvector(x text) RETURNS text LANGUAGE sql AS $$ SELECT x $$;", "DSQL614") == []


def test_vacuum_is_flagged_and_analyze_is_not() -> None:
    assert flagged("VACUUM ANALYZE t;", "DSQL602") == ["VACUUM"]
    assert only("ANALYZE t;", "DSQL602") == []


def test_advisory_locks_are_flagged_by_call_not_by_mention() -> None:
    assert flagged("SELECT pg_advisory_lock(42);", "DSQL617") == ["pg_advisory_lock"]
    assert flagged("SELECT pg_catalog.PG_TRY_ADVISORY_XACT_LOCK(1, 2);", "DSQL617") == ["PG_TRY_ADVISORY_XACT_LOCK"]
    assert only("SELECT 'pg_advisory_lock(1)';", "DSQL617") == []
    assert only("SELECT pg_advisory_lock FROM locks;", "DSQL617") == []


def test_geometric_constructors_are_flagged_and_columns_named_like_them_are_not() -> None:
    assert flagged("SELECT circle(point(0, 0), 1);", "DSQL618") == ["circle", "point"]
    (line,) = only("SELECT line('{1,2,3}');", "DSQL618")
    assert "datatype line not supported" in line.message
    assert only("SELECT s.point, s.line FROM shapes s;", "DSQL618") == []
    assert only("CREATE FUNCTION point(a int) RETURNS int LANGUAGE sql AS 'SELECT 1';", "DSQL618") == []


def test_lock_table_message_carries_dsqls_answer() -> None:
    (finding,) = only("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;", "DSQL605")
    assert "unsupported statement: Lock" in finding.message
