"""Each format's transaction behaviour decides what DSQL rejects: one case flagged because of it, one silent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dsql_lint.migrations import build_plan
from tests.conftest import CORPUS
from tests.migrations.helpers import FIXTURES, by_file, lint_folder


def test_flyway_file_without_begin_runs_in_one_transaction_so_two_ddl_are_flagged() -> None:
    found = lint_folder("flyway")
    files = by_file(found)
    assert files["V1.10__index_email.sql"] == ["DSQL501"]
    message = next(d.message for d in found if d.path.endswith("V1.10__index_email.sql"))
    assert "Flyway runs V1.10__index_email.sql in one transaction" in message


def test_flyway_execute_in_transaction_false_conf_keeps_two_ddl_silent() -> None:
    assert "V2__seed_and_view.sql" not in by_file(lint_folder("flyway"))


def test_flyway_undo_files_are_not_linted_by_default_but_are_with_include_down() -> None:
    assert "U1.10__undo_index.sql" not in by_file(lint_folder("flyway"))
    assert by_file(lint_folder("flyway", include_down=True))["U1.10__undo_index.sql"] == ["DSQL501"]


def test_flyway_concurrently_makes_the_file_run_outside_a_transaction(tmp_path: os.PathLike[str]) -> None:
    folder = FIXTURES.parent / "fixtures" / "flyway"
    assert folder.is_dir()
    path = os.path.join(tmp_path, "V1__two.sql")
    with open(path, "w") as fh:
        fh.write("CREATE TABLE a (id int PRIMARY KEY);\nCREATE INDEX CONCURRENTLY a_id ON a (id);\n")
    assert lint_folder(tmp_path) == []


def test_golang_migrate_file_is_one_implicit_transaction_so_two_ddl_are_flagged() -> None:
    found = lint_folder("golang-migrate")
    assert by_file(found) == {"10_two_tables.up.sql": ["DSQL501"]}
    assert "one multi-statement string" in found[0].message


def test_golang_migrate_down_files_stay_silent_unless_included() -> None:
    assert "10_two_tables.down.sql" not in by_file(lint_folder("golang-migrate"))
    assert "10_two_tables.down.sql" in by_file(lint_folder("golang-migrate", include_down=True))


def test_goose_up_section_runs_in_a_transaction_with_the_version_insert() -> None:
    files = by_file(lint_folder("goose"))
    assert sorted(files["00002_orders.sql"]) == ["DSQL501", "DSQL550"]


def test_goose_no_transaction_annotation_keeps_two_ddl_silent() -> None:
    assert "00001_accounts.sql" not in by_file(lint_folder("goose"))


def test_goose_down_section_is_left_out_unless_included() -> None:
    found = lint_folder("goose", include_down=True)
    lines = [d.line for d in found if d.path.endswith("00002_orders.sql")]
    assert any(line >= 9 for line in lines), lines  # the Down section (DROP FUNCTION; DROP TABLE) is linted
    assert all(d.line < 9 for d in lint_folder("goose") if d.path.endswith("00002_orders.sql"))


def test_dbmate_transaction_false_is_still_one_implicit_transaction_on_dsql() -> None:
    found = lint_folder("dbmate")
    files = by_file(found)
    assert files["20240101000000_accounts.sql"] == ["DSQL501"]
    assert "transaction:false" in next(d.message for d in found if d.code == "DSQL501")


def test_dbmate_dml_only_migration_with_version_insert_is_silent() -> None:
    assert "20240102000000_seed.sql" not in by_file(lint_folder("dbmate"))


def test_sqitch_deploy_script_runs_in_psql_autocommit_so_bare_ddl_is_silent() -> None:
    files = by_file(lint_folder("sqitch"))
    assert "accounts.sql" not in files
    assert files["schema.sql"] == ["DSQL501"]  # its own BEGIN ... COMMIT holds two DDL


def test_sqitch_revert_and_verify_scripts_are_left_out_by_default() -> None:
    plan = build_plan([os.fspath(FIXTURES / "sqitch")])
    assert [os.path.relpath(f.path, FIXTURES / "sqitch") for f in plan.files] == [
        "deploy/schema.sql",
        "deploy/accounts.sql",
    ]


def test_liquibase_changeset_runs_in_one_transaction_unless_run_in_transaction_false() -> None:
    found = lint_folder("liquibase")
    assert [(d.code, d.line) for d in found] == [("DSQL501", 5)]
    assert "changeset dev:1" in found[0].message


def test_alembic_offline_output_keeps_its_explicit_transactions() -> None:
    files = by_file(lint_folder("alembic"))
    assert sorted(files["upgrade.sql"]) == ["DSQL501", "DSQL502"]
    assert "upgrade_per_migration.sql" not in files  # transaction_per_migration: one statement per block


def test_django_sqlmigrate_begin_commit_is_flagged_and_non_atomic_output_is_silent() -> None:
    files = by_file(lint_folder("django"))
    assert files == {"0001_initial.sql": ["DSQL501"]}


def test_plain_files_run_in_autocommit_unless_assumed_in_one_transaction() -> None:
    assert lint_folder("plain") == []
    found = lint_folder("plain", assume_in_transaction=True)
    assert by_file(found) == {"001_schema.sql": ["DSQL501"]}
    assert "--assume-in-transaction" in found[0].message


def test_tool_transactions_are_marked_managed_for_house_rules() -> None:
    from dsql_lint.lint.engine import Linter
    from dsql_lint.migrations import describe
    from dsql_lint.text.source import Source

    path = os.fspath(FIXTURES / "flyway" / "V1__create_accounts.sql")
    source = Source(path, Path(path).read_text())
    script, _ = Linter().build(source, describe(path, "flyway"))
    assert [t.managed for t in script.transactions] == [True]
    assert not script.transactions[0].is_autocommit


@pytest.mark.parametrize(
    "fmt", ["flyway", "golang-migrate", "goose", "dbmate", "sqitch", "liquibase", "alembic", "django", "plain"]
)
def test_fixture_folder_is_recognised_as_its_format(fmt: str) -> None:
    plan = build_plan([os.fspath(FIXTURES / fmt)])
    assert {f.format for f in plan.files} == {fmt}


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", ["dbmate", "flyway", "golang-migrate", "goose", "liquibase"])
def test_shared_corpus_framework_folders_are_recognised_folder_by_folder(fmt: str) -> None:
    root = CORPUS / "frameworks"
    if not root.is_dir():
        pytest.skip("shared corpus not available")
    plan = build_plan([os.fspath(root)])
    mine = [f for f in plan.files if f"/frameworks/{fmt}/" in f.path]
    assert mine and {f.format for f in mine} == {fmt}
    assert not any(f.is_down for f in mine)


def test_forced_format_overrides_detection() -> None:
    plan = build_plan([os.fspath(FIXTURES / "plain")], fmt="flyway")
    assert {f.format for f in plan.files} == {"flyway"}
    found = lint_folder("plain", migrations="flyway")
    assert by_file(found) == {"001_schema.sql": ["DSQL501"]}
