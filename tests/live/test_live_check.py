"""``dsql-lint check --live`` against a real PostgreSQL behind a DSQL-like front door (no AWS, loopback only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dsql_lint.cli import main
from tests.live.conftest import live_options

pytestmark = pytest.mark.live


def _args(options: dict[str, Any]) -> list[str]:
    args = ["--live"]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    return args


def run_check(tmp_path: Path, sql: str, options: dict[str, Any], *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    """Run the CLI on one file; return exit code, JSON diagnostics and stderr."""
    path = tmp_path / "V1__migration.sql"
    path.write_text(sql)
    result = CliRunner().invoke(main, ["check", "--format", "json", *extra, *_args(options), str(path)])
    diagnostics = []
    if result.stdout.strip():
        payload = json.loads(result.stdout)
        diagnostics = payload if isinstance(payload, list) else payload.get("diagnostics", [])
    return result.exit_code, diagnostics, result.stderr


def live(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in diagnostics if d["code"].startswith("DSQL01")]


def test_rejected_statement_is_reported_at_the_server_position(aws_env: Any, door: Any, pki: Any,
                                                               tmp_path: Path) -> None:
    sql = "SELECT 1;\n\nINSERT INTO owner (name, cty) VALUES ('a', 'b');\n"
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki))
    assert code == 1, err
    found = live(diags)
    assert [d["code"] for d in found] == ["DSQL010"]
    assert found[0]["line"] == 3 and found[0]["column"] == sql.splitlines()[2].index("cty") + 1
    assert "column \"cty\" of relation \"owner\" does not exist" in found[0]["message"]
    assert "SQLSTATE 42703" in found[0]["message"]
    assert "not caught statically" in found[0]["message"]
    assert door.seen[0]["negotiation"] == "direct"
