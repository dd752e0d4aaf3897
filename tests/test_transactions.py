"""Grouping statements into the transactions the server runs."""

from __future__ import annotations

from dsql_lint.frontend.script import build_script
from dsql_lint.text.source import Source


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


def _reference_group(statements: list, autocommit_reason: str) -> list:
    """``group`` as it was written before it built autocommit transactions positionally."""
    from dsql_lint.model import Kind, Transaction

    def reason(begin) -> str:  # type: ignore[no-untyped-def]
        opener = begin.tag if begin.tag != "BEGIN" else begin.words[0]
        return f"the transaction is opened by {opener} on line {begin.line}"

    transactions: list[Transaction] = []
    current: Transaction | None = None
    for stmt in statements:
        is_tcl = stmt.kind is Kind.TCL
        if is_tcl and stmt.tag == "BEGIN":
            if current is None:
                current = Transaction([stmt], explicit=True, begin=stmt, reason=reason(stmt))
            else:
                current.statements.append(stmt)
        elif is_tcl and stmt.tag in ("COMMIT", "ROLLBACK", "PREPARE TRANSACTION"):
            if current is None:
                transactions.append(Transaction([stmt], explicit=False, reason=autocommit_reason))
                continue
            current.statements.append(stmt)
            current.end = stmt
            transactions.append(current)
            current = None
            chains = stmt.has("AND", "CHAIN") and not stmt.has("AND", "NO", "CHAIN")
            if stmt.tag != "PREPARE TRANSACTION" and chains:
                current = Transaction([], explicit=True, begin=stmt, reason=reason(stmt))
        elif current is not None:
            current.statements.append(stmt)
        else:
            transactions.append(Transaction([stmt], explicit=False, reason=autocommit_reason))
    if current is not None:
        transactions.append(current)
    return transactions


def test_group_builds_the_same_transactions_as_the_keyword_form() -> None:
    # group() passes Transaction's fields positionally; a reordered or inserted field must fail here.
    from pathlib import Path

    from dsql_lint.frontend.transactions import group

    root = Path(__file__).resolve().parent
    texts = [
        "CREATE TABLE a (x int); BEGIN; INSERT INTO a VALUES (1); COMMIT AND CHAIN; SELECT 1; ROLLBACK;"
        " COMMIT; START TRANSACTION; PREPARE TRANSACTION 'p'; BEGIN; BEGIN; END; SELECT 2; BEGIN",
    ]
    texts += [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.sql"))]  # corpus, data, migrations
    assert len(texts) > 30
    for text in texts:
        statements = build_script(Source("t.sql", text)).statements
        for reason in ("the statement runs in autocommit", "Flyway runs it alone"):
            assert group(statements, reason) == _reference_group(statements, reason)
