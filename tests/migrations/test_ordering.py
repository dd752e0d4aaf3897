"""Files are sorted the way each tool applies them."""

from __future__ import annotations

import os

from dsql_lint.migrations import build_plan, flyway_version
from tests.migrations.helpers import FIXTURES


def _names(folder: str, **kw: object) -> list[str]:
    return [os.path.basename(f.path) for f in build_plan([os.fspath(FIXTURES / folder)], **kw).files]  # type: ignore[arg-type]


def test_flyway_version_1_10_sorts_after_1_9() -> None:
    assert flyway_version("1.10") > flyway_version("1.9")
    assert flyway_version("1.0") == flyway_version("1")
    assert flyway_version("2_1") > flyway_version("2")


def test_flyway_folder_orders_versioned_then_repeatable() -> None:
    assert _names("flyway") == [
        "V1__create_accounts.sql",
        "V1.9__add_name.sql",
        "V1.10__index_email.sql",
        "V2__seed_and_view.sql",
        "R__refresh_view.sql",
    ]


def test_golang_migrate_orders_by_number_not_by_text() -> None:
    assert _names("golang-migrate") == ["9_create_accounts.up.sql", "10_two_tables.up.sql"]


def test_golang_migrate_with_down_keeps_each_up_before_its_down() -> None:
    assert _names("golang-migrate", include_down=True) == [
        "9_create_accounts.up.sql",
        "9_create_accounts.down.sql",
        "10_two_tables.up.sql",
        "10_two_tables.down.sql",
    ]


def test_sqitch_follows_the_plan_not_the_file_names() -> None:
    assert _names("sqitch") == ["schema.sql", "accounts.sql"]


def test_flyway_subfolders_join_one_history(tmp_path: os.PathLike[str]) -> None:
    root = os.fspath(tmp_path)
    os.makedirs(os.path.join(root, "v3"))
    for rel in ("V1__a.sql", "V4__d.sql", "v3/V3_1__c.sql"):
        with open(os.path.join(root, rel), "w") as fh:
            fh.write("SELECT 1;\n")
    assert [os.path.basename(f.path) for f in build_plan([root]).files] == ["V1__a.sql", "V3_1__c.sql", "V4__d.sql"]


def test_files_are_reported_in_migration_order() -> None:
    from dsql_lint.config.settings import Settings
    from dsql_lint.run.lint import lint_files, make_linter

    result = lint_files([os.fspath(FIXTURES / "golang-migrate")], make_linter(Settings(select=["DSQL501"])))
    assert [os.path.basename(f.path) for f in result.files] == ["9_create_accounts.up.sql", "10_two_tables.up.sql"]
