"""Classification from tokens, where sqlglot misreads or falls back to Command."""

from __future__ import annotations

import pytest

from dsql_lint.frontend.script import build_script
from dsql_lint.model import Kind
from dsql_lint.text.source import Source


def one(sql: str):  # type: ignore[no-untyped-def]
    (stmt,) = build_script(Source("t.sql", sql)).statements
    return stmt


@pytest.mark.parametrize(
    ("sql", "tag", "kind"),
    [
        ("SAVEPOINT s", "SAVEPOINT", Kind.TCL),
        ("START TRANSACTION", "BEGIN", Kind.TCL),
        ("START TRANSACTION ISOLATION LEVEL SERIALIZABLE", "BEGIN", Kind.TCL),
        ("LISTEN c", "LISTEN", Kind.SESSION),
        ("ROLLBACK TO SAVEPOINT s", "ROLLBACK TO", Kind.TCL),
        ("ROLLBACK WORK TO s", "ROLLBACK TO", Kind.TCL),
        ("RELEASE SAVEPOINT s", "RELEASE", Kind.TCL),
        ("END", "COMMIT", Kind.TCL),
        ("ABORT", "ROLLBACK", Kind.TCL),
        ("VACUUM t", "VACUUM", Kind.SESSION),
        ("CREATE UNIQUE INDEX ASYNC i ON t (a)", "CREATE INDEX", Kind.DDL),
        ("CREATE OR REPLACE CONSTRAINT TRIGGER x AFTER INSERT ON t EXECUTE FUNCTION f()", "CREATE TRIGGER", Kind.DDL),
        ("CREATE GLOBAL TEMPORARY TABLE t (a int)", "CREATE TABLE", Kind.DDL),
        ("CREATE MATERIALIZED VIEW v AS SELECT 1", "CREATE MATERIALIZED VIEW", Kind.DDL),
        ("CREATE FOREIGN DATA WRAPPER w", "CREATE FOREIGN DATA WRAPPER", Kind.DDL),
        ("ALTER TABLE ASYNC t VALIDATE CONSTRAINT c", "ALTER TABLE", Kind.DDL),
        ("ALTER SYSTEM SET work_mem = '1MB'", "ALTER SYSTEM", Kind.SESSION),
        ("DROP TABLE IF EXISTS t", "DROP TABLE", Kind.DDL),
        ("COMMENT ON TABLE t IS 'x'", "COMMENT", Kind.DDL),
        ("GRANT SELECT ON t TO r", "GRANT", Kind.DDL),
        ("INSERT INTO t VALUES (1)", "INSERT", Kind.DML),
        ("COPY t FROM STDIN", "COPY", Kind.DML),
        ("COPY t TO STDOUT", "COPY", Kind.QUERY),
        ("TRUNCATE t", "TRUNCATE", Kind.DML),
        ("WITH x AS (SELECT 1) SELECT * FROM x", "SELECT", Kind.QUERY),
        ("WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d", "SELECT", Kind.DML),
        ("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "INSERT", Kind.DML),
        ("SELECT * INTO new_t FROM t", "SELECT INTO", Kind.DDL),
        ("SELECT a FROM t", "SELECT", Kind.QUERY),
        ("(SELECT 1) UNION (SELECT 2)", "SELECT", Kind.QUERY),
        ("SET search_path = public", "SET", Kind.SESSION),
        ("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET TRANSACTION", Kind.SESSION),
        ("DO $$ BEGIN END $$", "DO", Kind.SESSION),
    ],
)
def test_statement_tag_and_kind(sql: str, tag: str, kind: Kind) -> None:
    stmt = one(sql)
    assert (stmt.tag, stmt.kind) == (tag, kind)


def test_sqlglot_reads_savepoint_as_an_alias_but_we_do_not() -> None:
    import sqlglot

    assert type(sqlglot.parse_one("SAVEPOINT s", read="postgres")).__name__ == "Alias"  # sqlglot's misreading
    stmt = one("SAVEPOINT s")
    assert type(stmt.ast).__name__ == "Command"  # the DSQL dialect checks transaction control itself
    assert stmt.tag == "SAVEPOINT" and stmt.kind is Kind.TCL


def test_command_fallback_is_still_classified() -> None:
    stmt = one("CREATE DOMAIN d AS text CHECK (VALUE <> '')")
    assert type(stmt.ast).__name__ == "Command"
    assert (stmt.tag, stmt.kind) == ("CREATE DOMAIN", Kind.DDL)


def test_dsql_dialect_parses_create_index_async_with_desc() -> None:
    stmt = one("CREATE INDEX ASYNC i ON t (a DESC)")
    assert stmt.parse_failure is None and stmt.ast is not None
    assert stmt.ast.meta.get("dsql_async") is True


def test_dsql_dialect_parses_alter_table_async_validate() -> None:
    stmt = one("ALTER TABLE ASYNC t VALIDATE CONSTRAINT c")
    assert stmt.parse_failure is None and stmt.ast is not None and stmt.ast.meta.get("dsql_async") is True


def test_identity_cache_option_parses() -> None:
    stmt = one("CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1 CACHE 65536) PRIMARY KEY)")
    assert stmt.parse_failure is None


def test_negative_numeric_scale_parses() -> None:
    stmt = one("CREATE TABLE prices (amount numeric(12, -3))")
    assert stmt.parse_failure is None
