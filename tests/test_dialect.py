"""The DSQL sqlglot dialect: ASYNC, PostgreSQL 16 syntax sqlglot lacks, and statements it never parses."""

from __future__ import annotations

import pytest
from sqlglot import exp
from sqlglot.errors import ParseError

from dsql_lint.dialect import parse_one
from tests.conftest import codes, lint


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN READ ONLY",
        "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ WRITE",
        "START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE, NOT DEFERRABLE",
        "COMMIT AND NO CHAIN",
        "END WORK",
        "ABORT",
        "ROLLBACK TO SAVEPOINT before_load",
        "SAVEPOINT before_load",
        "RELEASE SAVEPOINT before_load",
        "PREPARE TRANSACTION 'tx1'",
        "COMMIT PREPARED 'tx1'",
        "ROLLBACK PREPARED 'tx1'",
    ],
)
def test_transaction_control_is_checked_here_and_becomes_a_command(sql: str) -> None:
    assert isinstance(parse_one(sql), exp.Command)


@pytest.mark.parametrize(
    "sql",
    ["BEGIN READ", "BEGIN ISOLATION LEVEL SOMETIMES", "COMMIT AND", "SAVEPOINT", "RELEASE 42", "COMMIT PREPARED x"],
)
def test_malformed_transaction_control_is_a_parse_error(sql: str) -> None:
    with pytest.raises(ParseError):
        parse_one(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "CLUSTER accounts USING accounts_pkey",
        "NOTIFY jobs, 'payload'",
        "SECURITY LABEL ON TABLE t IS 'secret'",
        "REASSIGN OWNED BY app TO admin",
        "MOVE FORWARD ALL FROM c",
        "CREATE RULE r AS ON INSERT TO t DO INSTEAD (DELETE FROM t; DELETE FROM u)",
        "SELECT * FROM accounts WHERE id = :'account_id'",
        "INSERT INTO t VALUES (:n)",
    ],
)
def test_utility_statements_and_psql_variables_are_not_sent_to_sqlglot(sql: str) -> None:
    assert isinstance(parse_one(sql), exp.Command)


def test_array_slices_are_not_psql_variables() -> None:
    assert isinstance(parse_one("SELECT a[1:n] FROM t"), exp.Select)


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE docs (body text COMPRESSION lz4 STORAGE EXTERNAL)",
        "INSERT INTO t OVERRIDING SYSTEM VALUE VALUES (1)",
        "CREATE INDEX ASYNC ON ONLY parent (a)",
        "CREATE TABLE flags (bits bit varying(16))",
        "CREATE FUNCTION add(a int, b int = 1) RETURNS int LANGUAGE sql AS 'SELECT a + b'",
        "CREATE TABLE c (p int, q int, FOREIGN KEY (p, q) REFERENCES par ON DELETE SET NULL (q))",
        "DROP INDEX accounts_a, accounts_b",
        "DROP SCHEMA s1, s2 CASCADE",
        "DROP FUNCTION add(a int, b int)",
        "COMMENT ON TABLE accounts IS NULL",
        "COMMENT ON CONSTRAINT accounts_ck ON accounts IS 'positive balance'",
    ],
)
def test_postgresql_16_syntax_sqlglot_lacks_parses(sql: str) -> None:
    assert parse_one(sql) is not None


def test_async_is_recorded_on_the_tree() -> None:
    tree = parse_one("CREATE INDEX ASYNC i ON t (a)")
    assert tree is not None and tree.meta.get("dsql_async") is True


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY)",
        "CREATE TABLE t (u timestamp DEFAULT now() ON UPDATE CURRENT_TIMESTAMP)",
        "drop index 314159",
        "drop type 1, 2",
    ],
)
def test_syntax_postgresql_rejects_is_a_parse_error(sql: str) -> None:
    with pytest.raises(ParseError):
        parse_one(sql)


def test_a_column_named_auto_increment_is_fine() -> None:
    assert isinstance(parse_one("CREATE TABLE t (auto_increment int, b int)"), exp.Create)


def test_foreign_key_on_update_action_is_not_a_mysql_clause() -> None:
    assert isinstance(parse_one("CREATE TABLE t (a int REFERENCES p (id) ON UPDATE CASCADE)"), exp.Create)


def test_parse_error_on_mysql_on_update_points_at_update() -> None:
    sql = "CREATE TABLE t (u timestamp ON UPDATE now());"
    found = [d for d in lint(sql) if d.code == "DSQL001"]
    assert [sql[d.start : d.end] for d in found] == ["UPDATE"]


def test_token_rules_still_run_on_a_statement_that_is_never_parsed() -> None:
    # RELEASE SAVEPOINT is classified from tokens; DSQL rejects savepoints.
    found = codes("BEGIN;\nRELEASE SAVEPOINT s;\nCOMMIT;")
    assert "DSQL001" not in found
    assert any(c.startswith("DSQL5") for c in found), found
