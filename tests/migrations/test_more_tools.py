"""Prisma Migrate, Drizzle, Supabase CLI, Diesel, sqlx and golang-migrate's x-multi-statement mode.

Each fixture folder is laid out as the tool lays it out (lock, journal, metadata and
Cargo files included) and is recognised without flags; the transactions each tool
really runs decide what DSQL rejects.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.migrations import build_plan
from tests.migrations.helpers import FIXTURES, by_file, lint_folder


def _formats(folder: str | Path) -> dict[str, tuple[str, str]]:
    """(format, role) per file of the plan, keyed by the path below the folder."""
    root = FIXTURES / folder if isinstance(folder, str) else folder
    plan = build_plan([os.fspath(root)])
    return {os.path.relpath(f.path, root): (f.format, f.role) for f in plan.files}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- recognition


@pytest.mark.parametrize(
    ("folder", "fmt"),
    [("prisma", "prisma"), ("supabase", "supabase"), ("diesel", "diesel"), ("sqlx", "sqlx"), ("drizzle", "drizzle")],
)
def test_each_tool_folder_is_recognised_without_flags(folder: str, fmt: str) -> None:
    formats = {f for (f, _role) in _formats(folder).values()}
    migrations = {f for path, (f, _role) in _formats(folder).items() if "seed" not in path}
    assert migrations == {fmt}, formats


def test_down_files_are_left_out_of_the_up_path_and_listed_as_skipped() -> None:
    for folder in ("prisma", "diesel", "sqlx"):
        plan = build_plan([os.fspath(FIXTURES / folder)])
        assert all(f.role == "up" for f in plan.files), folder
        assert plan.skipped_down and all(os.path.basename(p).endswith("down.sql") for p in plan.skipped_down)


def test_migration_folders_are_ordered_by_their_names_with_up_before_down() -> None:
    plan = build_plan([os.fspath(FIXTURES / "diesel")], include_down=True)
    names = [os.path.relpath(f.path, FIXTURES / "diesel" / "migrations") for f in plan.files]
    assert names == [
        "00000000000000_diesel_initial_setup/up.sql",
        "00000000000000_diesel_initial_setup/down.sql",
        "2024-01-01-000000_create_users/up.sql",
        "2024-01-01-000000_create_users/down.sql",
        "2024-01-02-000000_users_email_index/up.sql",
        "2024-01-02-000000_users_email_index/down.sql",
    ]


# --------------------------------------------------------------------------- Prisma


def test_prisma_file_is_one_multi_statement_string_so_two_create_table_are_flagged() -> None:
    found = lint_folder("prisma")
    assert by_file(found) == {"migration.sql": ["DSQL501"]}
    assert "20240101000000_init" in found[0].path
    assert "Prisma Migrate sends migration.sql as one multi-statement string" in found[0].message


def test_prisma_file_that_wraps_each_statement_in_begin_commit_is_accepted() -> None:
    assert not [d for d in lint_folder("prisma") if "20240103000000_wrapped" in d.path]


def test_prisma_down_sql_is_linted_only_with_include_down() -> None:
    found = lint_folder("prisma", include_down=True)
    assert [d.code for d in found if d.path.endswith("down.sql")] == ["DSQL501"]


# --------------------------------------------------------------------------- Supabase


def test_supabase_history_insert_shares_the_transaction_of_a_single_create_table() -> None:
    found = lint_folder("supabase")
    assert by_file(found) == {"20240101000000_init.sql": ["DSQL550"]}
    assert "supabase_migrations.schema_migrations" in found[0].message
    assert "BEGIN; ... COMMIT;" in found[0].help


def test_supabase_seed_file_is_not_a_migration() -> None:
    assert _formats("supabase")["supabase/seed.sql"][0] == "plain"


# --------------------------------------------------------------------------- Diesel


def test_diesel_up_sql_runs_with_the_version_insert_in_one_transaction() -> None:
    assert by_file(lint_folder("diesel")) == {"up.sql": ["DSQL550", "DSQL550"]}
    found = lint_folder("diesel")
    assert {os.path.basename(os.path.dirname(d.path)) for d in found} == {
        "00000000000000_diesel_initial_setup",
        "2024-01-01-000000_create_users",
    }
    assert all("__diesel_schema_migrations" in d.message for d in found)
    assert all("run_in_transaction = false" in d.help for d in found)


def test_diesel_metadata_run_in_transaction_false_sends_the_file_as_one_string(tmp_path: Path) -> None:
    folder = tmp_path / "migrations" / "2024-01-01-000000_two"
    _write(folder / "up.sql", "CREATE INDEX ASYNC a_x ON a (x);\nCREATE INDEX ASYNC a_y ON a (y);\n")
    _write(folder / "down.sql", "DROP INDEX a_x;\n")
    meta = _write(folder / "metadata.toml", "run_in_transaction = false\n")
    found = lint_folder(tmp_path)
    assert [d.code for d in found] == ["DSQL501"]
    assert "Diesel sends 2024-01-01-000000_two/up.sql as one multi-statement string" in found[0].message
    meta.write_text("run_in_transaction = [not toml\n", encoding="utf-8")  # diesel: unwrap_or_default()
    assert sorted(d.code for d in lint_folder(tmp_path)) == ["DSQL501", "DSQL550"]


def test_diesel_single_index_without_transaction_is_accepted() -> None:
    assert not [d for d in lint_folder("diesel") if "users_email_index" in d.path]


# --------------------------------------------------------------------------- sqlx


def test_sqlx_file_runs_with_its_version_insert_unless_it_starts_with_no_transaction() -> None:
    found = lint_folder("sqlx")
    assert by_file(found) == {"20240101000000_users.up.sql": ["DSQL550"]}
    assert "_sqlx_migrations" in found[0].message and "-- no-transaction" in found[0].help


def test_sqlx_no_transaction_counts_only_as_the_first_bytes(tmp_path: Path) -> None:
    _write(tmp_path / "Cargo.toml", "[package]\nname = 'x'\n")
    _write(tmp_path / "migrations" / "1_a.sql", "\n-- no-transaction\nCREATE TABLE a (id int PRIMARY KEY);\n")
    _write(tmp_path / "migrations" / "2_b.sql", "-- no-transaction\nCREATE TABLE b (id int PRIMARY KEY);\n")
    assert _formats(tmp_path) == {"migrations/1_a.sql": ("sqlx", "up"), "migrations/2_b.sql": ("sqlx", "up")}
    assert by_file(lint_folder(tmp_path)) == {"1_a.sql": ["DSQL550"]}


def test_up_down_files_outside_a_cargo_project_stay_golang_migrate() -> None:
    assert {f for f, _ in _formats("golang-migrate").values()} == {"golang-migrate"}


def test_sqlx_template_comment_marks_a_simple_migration_outside_cargo(tmp_path: Path) -> None:
    _write(tmp_path / "20240101000000_a.sql", "-- Add migration script here\nCREATE TABLE a (id int PRIMARY KEY);\n")
    assert _formats(tmp_path) == {"20240101000000_a.sql": ("sqlx", "up")}


# --------------------------------------------------------------------------- Drizzle


def test_drizzle_files_run_chunk_by_chunk_at_the_statement_breakpoints() -> None:
    found = lint_folder("drizzle")
    assert by_file(found) == {"0001_no_breakpoints.sql": ["DSQL501"]}
    assert "statement-breakpoint" in found[0].message


def test_drizzle_order_is_the_journals_order(tmp_path: Path) -> None:
    _write(tmp_path / "0000_b.sql", "CREATE TABLE b (id int PRIMARY KEY);\n")
    _write(tmp_path / "0001_a.sql", "CREATE TABLE a (id int PRIMARY KEY);\n")
    journal = {"entries": [{"idx": 0, "tag": "0001_a"}, {"idx": 1, "tag": "0000_b"}]}
    _write(tmp_path / "meta" / "_journal.json", json.dumps(journal))
    plan = build_plan([os.fspath(tmp_path)])
    assert [os.path.basename(f.path) for f in plan.files] == ["0001_a.sql", "0000_b.sql"]
    assert {f.format for f in plan.files} == {"drizzle"}


def test_drizzle_breakpoints_mark_a_folder_without_journal(tmp_path: Path) -> None:
    _write(tmp_path / "0000_x.sql", "CREATE TABLE a (id int);\n--> statement-breakpoint\nCREATE TABLE b (id int);\n")
    assert _formats(tmp_path) == {"0000_x.sql": ("drizzle", "up")}
    assert lint_folder(tmp_path) == []


# --------------------------------------------------------------------------- golang-migrate x-multi-statement


def test_golang_migrate_multi_statement_runs_each_statement_on_its_own() -> None:
    assert by_file(lint_folder("golang-migrate")) == {"10_two_tables.up.sql": ["DSQL501"]}
    assert lint_folder("golang-migrate", migrations="golang-migrate-multi-statement") == []


# --------------------------------------------------------------------------- AWS adapters


def test_aws_adapter_makes_flyway_run_each_statement_on_its_own(tmp_path: Path) -> None:
    _write(tmp_path / "V1__two.sql", "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\n")
    assert [d.code for d in lint_folder(tmp_path)] == ["DSQL501"]
    assert lint_folder(tmp_path, aws_adapter=True) == []


def test_aws_adapter_is_one_config_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "V1__two.sql", "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int PRIMARY KEY);\n")
    runner = CliRunner()
    assert runner.invoke(main, ["check", "--no-cache", "V1__two.sql"]).exit_code == 1
    _write(tmp_path / "dsql-lint.toml", "aws-adapter = true\n")
    assert runner.invoke(main, ["check", "--no-cache", "V1__two.sql"]).exit_code == 0
    assert runner.invoke(main, ["check", "--no-cache", "--no-aws-adapter", "V1__two.sql"]).exit_code == 1


# --------------------------------------------------------------------------- side files and the cache


def test_a_changed_metadata_toml_is_seen_by_a_cached_and_replayed_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "migrations" / "2024-01-01-000000_users"
    _write(folder / "up.sql", "CREATE TABLE users (id uuid PRIMARY KEY);\n")
    _write(folder / "down.sql", "DROP TABLE users;\n")
    runner = CliRunner()
    args = ["check", "--format", "concise", "migrations"]
    first = runner.invoke(main, args)
    assert first.exit_code == 1 and "DSQL550" in first.output
    assert runner.invoke(main, args).output == first.output  # replayed or cached
    meta = _write(folder / "metadata.toml", "run_in_transaction = false\n")
    os.utime(meta, (1, 1))  # an old time stamp must not hide the new file either
    assert runner.invoke(main, args).exit_code == 0
