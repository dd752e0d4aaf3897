"""Hard cases of the transaction rules DSQL503-DSQL506."""

from __future__ import annotations

from tests._catalog_helpers import fixed, flagged, only


def test_savepoint_statements_are_flagged_on_their_leading_keywords() -> None:
    sql = "BEGIN;\nSAVEPOINT s;\nRELEASE SAVEPOINT s;\nrollback work to savepoint s;\nCOMMIT;"
    assert flagged(sql, "DSQL503") == ["SAVEPOINT", "RELEASE SAVEPOINT", "rollback work to savepoint"]


def test_plain_rollback_is_not_a_savepoint() -> None:
    assert only("BEGIN;\nSELECT 1;\nROLLBACK;", "DSQL503") == []


def test_isolation_fix_removes_the_clause_and_its_comma() -> None:
    assert fixed("BEGIN ISOLATION LEVEL SERIALIZABLE;", "DSQL504") == "BEGIN;"
    assert fixed("BEGIN READ ONLY, ISOLATION LEVEL READ COMMITTED;", "DSQL504") == "BEGIN READ ONLY;"
    assert fixed("START TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY;", "DSQL504") == (
        "START TRANSACTION READ ONLY;"
    )


def test_isolation_finding_points_at_the_level() -> None:
    assert flagged("BEGIN ISOLATION LEVEL READ UNCOMMITTED;", "DSQL504") == ["READ UNCOMMITTED"]
    assert only("BEGIN ISOLATION LEVEL REPEATABLE READ;", "DSQL504") == []


def test_set_transaction_is_flagged_even_for_repeatable_read_and_not_by_the_begin_rule() -> None:
    sql = "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;"
    assert flagged(sql, "DSQL505") == ["SET TRANSACTION"]
    assert only(sql, "DSQL504") == []
    assert flagged("SET TRANSACTION READ ONLY;", "DSQL505") == ["SET TRANSACTION"]


def test_isolation_parameters_are_flagged_whatever_the_value_and_other_parameters_are_not() -> None:
    assert flagged("SET SESSION default_transaction_isolation = 'repeatable read';", "DSQL506") == [
        "default_transaction_isolation"
    ]
    assert only("SET default_transaction_read_only = on;", "DSQL506") == []
