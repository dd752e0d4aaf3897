"""Bugs found by linting real migration folders as a new user would, each with its case."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.migrations import build_plan
from tests.migrations.helpers import by_file, lint_folder


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_dbmate_up_section_without_final_semicolon_is_not_merged_with_down(tmp_path: Path) -> None:
    _write(
        tmp_path / "20240101000000_a.sql",
        "-- migrate:up\nCREATE INDEX ASYNC a_x ON a (x)\n\n-- migrate:down\nDROP INDEX a_x;\n",
    )
    found = lint_folder(tmp_path, select=("ALL",))
    assert "DSQL001" not in [d.code for d in found]
    assert lint_folder(tmp_path, select=("DSQL001",), include_down=True) == []


def test_goose_sections_end_a_statement_too(tmp_path: Path) -> None:
    _write(
        tmp_path / "00001_a.sql",
        "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX ASYNC a_x ON a (x)\n-- +goose Down\nDROP INDEX a_x;\n",
    )
    assert lint_folder(tmp_path, select=("DSQL001",), include_down=True) == []


def test_sqitch_project_with_plain_scripts_beside_it_sorts_by_absolute_path(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    _write(project / "sqitch.plan", "%project=proj\n\nusers 2024-01-01T00:00:00Z A <a@example.com> # users\n")
    _write(project / "deploy" / "users.sql", "BEGIN;\nCREATE TABLE users (id uuid PRIMARY KEY);\nCOMMIT;\n")
    _write(project / "revert" / "users.sql", "BEGIN;\nDROP TABLE users;\nCOMMIT;\n")
    _write(project / "verify" / "users.sql", "SELECT id FROM users WHERE false;\n")
    _write(project / "seed" / "seed.sql", "INSERT INTO users (id) VALUES ('6f1c1a9e-6d8b-4b8e-9a53-5d7b0b1f4a10');\n")
    _write(project / "test-schema.sql", "SELECT 1;\n")
    plan = build_plan([os.fspath(project.resolve())])  # by its absolute path: once a TypeError
    names = [os.path.relpath(f.path, project.resolve()) for f in plan.files]
    assert sorted(names) == ["deploy/users.sql", "seed/seed.sql", "test-schema.sql"]
    result = CliRunner().invoke(main, ["check", "--no-cache", os.fspath(project.resolve())])
    assert result.exit_code == 0, result.output


def test_summary_after_fix_equals_a_plain_check_of_the_fixed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # ASYNC added by the fix makes the ON CONFLICT depend on an index still building (DSQL350, a
    # folder-level finding): the summary used to say "0 remaining".
    _write(
        tmp_path / "a.sql",
        "CREATE UNIQUE INDEX users_email ON users (email);\n"
        "INSERT INTO users (email) VALUES ('a') ON CONFLICT (email) DO NOTHING;\n",
    )
    runner = CliRunner()
    fixed = runner.invoke(main, ["check", "--no-cache", "--fix", "--format", "concise", "."])
    assert "CREATE UNIQUE INDEX ASYNC" in (tmp_path / "a.sql").read_text(encoding="utf-8")
    assert "Fixed 1 finding, 1 remaining." in fixed.output and "DSQL350" in fixed.output
    again = runner.invoke(main, ["check", "--no-cache", "--format", "concise", "."])
    assert again.exit_code == fixed.exit_code == 1
    assert [line for line in fixed.output.splitlines() if "DSQL" in line] == [
        line for line in again.output.splitlines() if "DSQL" in line
    ]


def test_dbmate_one_ddl_statement_help_names_transaction_false(tmp_path: Path) -> None:
    _write(tmp_path / "20240101000000_a.sql", "-- migrate:up\nCREATE TABLE a (id int PRIMARY KEY);\n")
    found = lint_folder(tmp_path)
    assert by_file(found) == {"20240101000000_a.sql": ["DSQL550"]}
    assert "transaction:false" in found[0].help
    _write(tmp_path / "20240101000000_a.sql", "-- migrate:up transaction:false\nCREATE TABLE a (id int PRIMARY KEY);\n")
    assert lint_folder(tmp_path) == []


def test_a_primary_key_named_in_an_earlier_migration_cannot_be_dropped(tmp_path: Path) -> None:
    _write(tmp_path / "V1__orders.sql", "CREATE TABLE orders (id uuid, CONSTRAINT orders_key PRIMARY KEY (id));\n")
    _write(tmp_path / "V2__drop.sql", "ALTER TABLE orders DROP CONSTRAINT orders_key;\n")
    found = lint_folder(tmp_path, select=("DSQL415",))
    assert [(os.path.basename(d.path), d.line) for d in found] == [("V2__drop.sql", 1)]
    assert "V1__orders.sql" in found[0].message
