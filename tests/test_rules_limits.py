"""Hard cases of DSQL801 (generate-series-row-limit), and its split of work with DSQL824."""

from __future__ import annotations

import time

from tests._catalog_helpers import flagged, only
from tests.conftest import lint


def test_exactly_three_thousand_rows_is_allowed() -> None:
    assert only("INSERT INTO t SELECT generate_series(1, 3000);", "DSQL801") == []
    assert flagged("INSERT INTO t SELECT generate_series(1, 3001);", "DSQL801") == ["generate_series"]


def test_step_and_negative_bounds_are_counted() -> None:
    assert only("INSERT INTO t SELECT generate_series(1, 6000, 2);", "DSQL801") == []
    assert len(only("INSERT INTO t SELECT generate_series(-3001, -1);", "DSQL801")) == 1
    assert len(only("INSERT INTO t SELECT generate_series(6002, 0, -2);", "DSQL801")) == 1


def test_non_literal_bounds_or_filters_prove_nothing() -> None:
    for sql in (
        "INSERT INTO t SELECT generate_series(1, n) FROM params;",
        "INSERT INTO t SELECT g FROM generate_series(1, 9000) g WHERE g > 8000;",
        "INSERT INTO t SELECT DISTINCT g % 10 FROM generate_series(1, 9000) g;",
        "INSERT INTO t SELECT g FROM generate_series(1, 9000) g JOIN u ON u.id = g;",
        "INSERT INTO t SELECT generate_series(1, 9000) ON CONFLICT DO NOTHING;",
    ):
        assert only(sql, "DSQL801") == [], sql


def test_values_rows_alone_are_left_to_dsql824() -> None:
    rows = ", ".join(f"({i})" for i in range(3001))
    codes = [d.code for d in lint(f"INSERT INTO t VALUES {rows};", preset="compat")]
    assert "DSQL824" in codes and "DSQL801" not in codes


def test_values_and_series_add_up_in_a_transaction() -> None:
    rows = ", ".join(f"({i})" for i in range(2000))
    sql = f"BEGIN;\nINSERT INTO t VALUES {rows};\nINSERT INTO t SELECT generate_series(1, 1001);\nCOMMIT;"
    (finding,) = only(sql, "DSQL801")
    assert "3,001 rows" in finding.message


def test_a_five_thousand_row_insert_is_linted_quickly() -> None:
    rows = ", ".join(f"({i}, 'name {i}', now())" for i in range(5000))
    sql = f"INSERT INTO t (id, name, at) VALUES {rows};"
    started = time.perf_counter()
    lint(sql, preset="compat")
    assert time.perf_counter() - started < 5
