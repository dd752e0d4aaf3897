"""A third-party rule package, installed into the test environment, runs like a built-in rule."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PLUGIN = Path(__file__).parent / "plugin_pkg"
VIEW = "CREATE VIEW active_users AS SELECT * FROM users;\n"


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", "-q", *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed_plugin() -> Iterator[None]:
    result = _pip("install", "--no-deps", "--no-build-isolation", str(PLUGIN))
    if result.returncode != 0:
        pytest.fail(f"could not install the test plugin: {result.stderr[-2000:]}")
    try:
        yield
    finally:
        _pip("uninstall", "-y", "acme-dsql-rules")


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dsql_lint", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def test_plugin_rule_is_listed_with_the_builtins(installed_plugin: None) -> None:
    out = _run("rules").stdout
    assert "ACME001" in out and "no-select-star-in-views" in out and "DSQL301" in out


def test_plugin_rule_runs_when_selected(installed_plugin: None) -> None:
    result = _run(
        "check", "--select", "ACME001,DSQL3", "--format", "json", "-", stdin=VIEW + "CREATE INDEX i ON t (a);"
    )
    assert result.returncode == 1, result.stderr
    assert '"code": "ACME001"' in result.stdout and '"code": "DSQL301"' in result.stdout
    assert '"column": 36' in result.stdout


def test_opt_in_plugin_rule_does_not_run_by_default(installed_plugin: None) -> None:
    result = _run("check", "--preset", "compat", "-", stdin=VIEW)
    assert "ACME001" not in result.stdout
    assert result.returncode == 0, result.stdout + result.stderr


def test_plugin_page_is_made_from_its_metadata(installed_plugin: None) -> None:
    out = _run("rules", "ACME001").stdout
    assert out.startswith("# ACME001 no-select-star-in-views") and "change shape" in out


def test_a_plugin_rule_reads_postgresql_s_parse_tree_with_exact_positions(installed_plugin: None) -> None:
    sql = "CREATE TABLE é (id uuid PRIMARY KEY, at timestamptz DEFAULT pg_catalog.now(), b int DEFAULT 1);\nSELCT 1;\n"
    result = _run("check", "--select", "ACME002", "--format", "concise", "-", stdin=sql)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if "ACME002" in line]
    assert lines == ["-:1:61: ACME002 [warning] column `at` defaults to now()"], result.stdout
    json_out = _run("check", "--select", "ACME002", "--format", "json", "-", stdin=sql).stdout
    assert '"end_column": 75' in json_out  # pg_catalog.now: from the schema to the name
