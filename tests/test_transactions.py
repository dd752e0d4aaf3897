"""Grouping statements into the transactions the server runs."""

from __future__ import annotations

from dsql_lint.script import build_script
from dsql_lint.source import Source


def groups(sql: str) -> list[tuple[bool, list[str]]]:
    script = build_script(Source("t.sql", sql))
    return [(t.explicit, [s.tag for s in t.statements]) for t in script.transactions]


def test_autocommit_statements_are_one_transaction_each() -> None:
    assert groups("CREATE TABLE a (x int); CREATE TABLE b (x int);") == [
        (False, ["CREATE TABLE"]),
        (False, ["CREATE TABLE"]),
    ]


def test_explicit_blocks_with_every_spelling() -> None:
    sql = (
        "BEGIN; CREATE TABLE a (x int); COMMIT;"
        "START TRANSACTION; INSERT INTO a VALUES (1); END;"
        "BEGIN WORK; DELETE FROM a WHERE x = 1; ROLLBACK;"
        "BEGIN TRANSACTION; SELECT 1; ABORT;"
    )
    assert [g[0] for g in groups(sql)] == [True, True, True, True]
    assert [len(g[1]) for g in groups(sql)] == [3, 3, 3, 3]


def test_commit_and_chain_opens_the_next_transaction() -> None:
    got = groups("BEGIN; CREATE TABLE a (x int); COMMIT AND CHAIN; CREATE TABLE b (x int); COMMIT;")
    assert got == [(True, ["BEGIN", "CREATE TABLE", "COMMIT"]), (True, ["CREATE TABLE", "COMMIT"])]


def test_unterminated_block_runs_to_the_end_of_the_file() -> None:
    assert groups("BEGIN; CREATE TABLE a (x int); CREATE TABLE b (x int);") == [
        (True, ["BEGIN", "CREATE TABLE", "CREATE TABLE"])
    ]


def test_rollback_to_savepoint_does_not_end_the_transaction() -> None:
    got = groups("BEGIN; SAVEPOINT s; ROLLBACK TO SAVEPOINT s; COMMIT;")
    assert got == [(True, ["BEGIN", "SAVEPOINT", "ROLLBACK TO", "COMMIT"])]


def test_begin_atomic_is_not_a_transaction() -> None:
    sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; CREATE TABLE a (x int);"
    assert groups(sql) == [(False, ["CREATE FUNCTION"]), (False, ["CREATE TABLE"])]
