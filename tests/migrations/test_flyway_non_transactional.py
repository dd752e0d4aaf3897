"""Which statements make Flyway run a file outside a transaction (the statement's first words decide)."""

from __future__ import annotations

import pytest

from dsql_lint.frontend.script import build_script
from dsql_lint.migrations.shape import _NON_TRANSACTIONAL, _flyway_runs_outside_transaction
from dsql_lint.text.source import Source


@pytest.mark.parametrize(
    ("sql", "outside"),
    [
        *[(" ".join(seq) + " x;", True) for seq in _NON_TRANSACTIONAL],
        ("vacuum;", True),
        ("create index concurrently i on t (a);", True),
        ("CREATE TABLE t (a int);\nDROP SUBSCRIPTION s;", True),
        ("DISCARD PLANS;", False),
        ('"VACUUM";', False),
        ("CREATE TABLE vacuum (a int);", False),
        ("SELECT 'VACUUM';", False),
        ("-- VACUUM\nSELECT 1;", False),
        ("", False),
        ("drop index concurrently i;", True),
        ("REINDEX INDEX CONCURRENTLY i;", True),
        ('CREATE INDEX "CONCURRENTLY" ON t (a);', False),
        ("CREATE INDEX i ON t (a) WHERE b = 'CONCURRENTLY';", False),
        ("CREATE TABLE concurrently (a int);", False),
        ("ALTER SYSTEM;", True),
        ("ALTER;", False),
        ("CREATE DATABASE;", True),
        ('CREATE "DATABASE" d;', False),
        ("DISCARD ALL;", True),
    ],
)
def test_flyway_outside_transaction(sql: str, outside: bool) -> None:
    statements = build_script(Source("V1__x.sql", sql)).statements
    assert _flyway_runs_outside_transaction(statements) is outside
