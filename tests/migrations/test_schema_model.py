"""The schema model replayed in migration order, and the history rules built on it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dsql_lint.frontend.script import build_script
from dsql_lint.migrations import MigrationFolder, describe, summarize
from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.text.source import Source
from tests.conftest import lint
from tests.migrations.helpers import by_file, lint_folder


def _model(*files: str) -> SchemaModel:
    entries = []
    for n, text in enumerate(files):
        source = Source(f"V{n + 1}__m.sql", text)
        entries.append(FolderEntry(source, describe(source.path, "plain"), summarize(build_script(source))))
    models = [model for _, _, model in MigrationFolder(entries).replay()]
    return models[-1] if models else SchemaModel()


def test_model_tracks_tables_columns_indexes_and_key_constraints_across_files() -> None:
    model = _model(
        "CREATE TABLE shop.accounts (id uuid PRIMARY KEY, email text UNIQUE, name text);",
        "ALTER TABLE shop.accounts ADD COLUMN age int; ALTER TABLE shop.accounts DROP COLUMN name;",
        "CREATE INDEX ASYNC accounts_age ON shop.accounts (age); CREATE SCHEMA shop; CREATE SEQUENCE s CACHE 1;",
        "CREATE VIEW v AS SELECT 1;",
    )
    table = model.tables["shop.accounts"]
    assert list(table.columns) == ["id", "email", "age"]
    assert table.columns["age"] == "int"
    assert table.index_count == 3  # primary key + UNIQUE + accounts_age
    assert model.user_schemas == {"shop"} and model.sequences == {"s"} and model.views == {"v"}


def test_dropping_indexes_tables_and_renaming_update_the_model() -> None:
    model = _model(
        "CREATE TABLE public.a (id int PRIMARY KEY); CREATE INDEX ASYNC a_x ON a (id);",
        "DROP INDEX a_x; ALTER TABLE a RENAME TO b; ALTER TABLE b RENAME COLUMN id TO key;",
        "CREATE TABLE gone (id int); DROP TABLE IF EXISTS gone;",
    )
    assert set(model.tables) == {"b"}
    assert model.tables["b"].indexes == set() and list(model.tables["b"].columns) == ["key"]


def test_twenty_fifth_index_over_several_files_is_flagged(tmp_path: Path) -> None:
    cols = ", ".join(f"c{i} int" for i in range(1, 25))
    (tmp_path / "V1__t.sql").write_text(f"CREATE TABLE t (id uuid PRIMARY KEY, {cols}, CONSTRAINT u UNIQUE (c1));\n")
    for i in range(2, 24):  # primary key + UNIQUE u + 22 indexes = 24
        (tmp_path / f"V{i}__i.sql").write_text(f"CREATE INDEX ASYNC t_c{i} ON t (c{i});\n")
    assert lint_folder(tmp_path, select=("DSQL820",)) == []
    (tmp_path / "V25__one_more.sql").write_text("CREATE INDEX ASYNC t_c24 ON t (c24);\n")
    found = lint_folder(tmp_path, select=("DSQL820",))
    assert [(os.path.basename(d.path), d.line, d.column) for d in found] == [("V25__one_more.sql", 1, 8)]
    assert "index number 25 on table `t`" in found[0].message


def test_dropping_an_index_makes_room_for_another(tmp_path: Path) -> None:
    idx = "".join(f"CREATE INDEX ASYNC t_{i} ON t (c);\n" for i in range(23))
    (tmp_path / "V1__t.sql").write_text("CREATE TABLE t (id int PRIMARY KEY, c int);\n" + idx)
    (tmp_path / "V2__swap.sql").write_text("DROP INDEX t_0;\nCREATE INDEX ASYNC t_new ON t (c);\n")
    assert lint_folder(tmp_path, select=("DSQL820",)) == []


def test_columns_added_over_time_past_255_are_flagged(tmp_path: Path) -> None:
    cols = ", ".join(f"c{i} text" for i in range(1, 254))  # 254 columns with id
    (tmp_path / "V1__t.sql").write_text(f"CREATE TABLE wide (id uuid PRIMARY KEY, {cols});\n")
    (tmp_path / "V2__more.sql").write_text("ALTER TABLE wide ADD COLUMN x text;\nALTER TABLE wide DROP COLUMN x;\n")
    assert lint_folder(tmp_path, select=("DSQL821",)) == []
    (tmp_path / "V3__more.sql").write_text("ALTER TABLE wide ADD COLUMN y text;\nALTER TABLE wide ADD COLUMN z text;\n")
    found = lint_folder(tmp_path, select=("DSQL821",))
    assert [(os.path.basename(d.path), d.line) for d in found] == [("V3__more.sql", 2)]


def test_eleventh_schema_and_thousand_first_table_are_flagged() -> None:
    schemas = "".join(f"CREATE SCHEMA s{i};\n" for i in range(11))
    assert [d.line for d in lint(schemas, select=["DSQL822"])] == [11]
    tables = "".join(f"CREATE TABLE t{i} (id int PRIMARY KEY);\n" for i in range(1001))
    assert [d.line for d in lint(tables, select=["DSQL823"])] == [1001]


def test_rows_add_up_within_one_transaction_only() -> None:
    rows = ",".join(f"({i})" for i in range(1500))
    two = f"INSERT INTO r (id) VALUES {rows};\nINSERT INTO r (id) VALUES {rows},(0);\n"
    assert lint(two, select=["DSQL824"]) == []  # autocommit: two transactions of 1,500 and 1,501 rows
    found = lint(f"BEGIN;\n{two}COMMIT;\n", select=["DSQL824"])
    assert [d.line for d in found] == [3] and "3,001 rows" in found[0].message


def test_flyway_file_transaction_makes_the_rows_add_up() -> None:
    rows = ",".join(f"({i})" for i in range(1501))
    text = f"INSERT INTO r (id) VALUES {rows};\nINSERT INTO r (id) VALUES {rows};\n"
    assert lint(text, path="db/002_seed.sql", select=["DSQL824"]) == []
    found = lint(text, path="db/V2__seed.sql", select=["DSQL824"])
    assert len(found) == 1 and "Flyway runs V2__seed.sql in one transaction" in found[0].message


def test_update_delete_without_where_and_insert_select_are_warnings() -> None:
    sql = "UPDATE a SET x = 1;\nDELETE FROM a;\nDELETE FROM a WHERE id = 1;\nINSERT INTO b SELECT * FROM a;\n"
    found = lint(sql, select=["DSQL825", "DSQL826"])
    assert [(d.code, d.line, d.severity.value) for d in found] == [
        ("DSQL825", 1, "warning"),
        ("DSQL825", 2, "warning"),
        ("DSQL826", 4, "warning"),
    ]


def test_on_conflict_on_a_unique_index_still_building_in_the_same_file_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "V1__idx.sql").write_text(
        "CREATE UNIQUE INDEX ASYNC u_email ON users (email);\n"
        "INSERT INTO users (email) VALUES ('a') ON CONFLICT (email) DO NOTHING;\n"
    )
    (tmp_path / "V2__later.sql").write_text("INSERT INTO users (email) VALUES ('b') ON CONFLICT (email) DO NOTHING;\n")
    found = lint_folder(tmp_path, select=("DSQL350",))
    assert by_file(found) == {"V1__idx.sql": ["DSQL350"]}
    assert (found[0].line, found[0].column) == (2, 40)


def test_waiting_for_the_job_silences_the_building_index_warning() -> None:
    sql = (
        "CREATE UNIQUE INDEX ASYNC u_email ON users (email);\n"
        "CALL sys.wait_for_job('qfzv5uemkrg2lbczil2fim3o2q');\n"
        "ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX u_email;\n"
    )
    assert lint(sql, select=["DSQL350"]) == []
    assert [d.line for d in lint(sql.replace("CALL", "-- CALL"), select=["DSQL350"])] == [3]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_diff_base_reports_only_changed_files_but_replays_the_earlier_ones(tmp_path: Path) -> None:
    try:
        _git(tmp_path, "init", "-q")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available")
    _git(tmp_path, "config", "user.email", "t@example.com")
    _git(tmp_path, "config", "user.name", "t")
    cols = ", ".join(f"c{i} int" for i in range(1, 24))
    idx = "".join(f"CREATE INDEX ASYNC t_{i} ON t (c{i});\n" for i in range(1, 24))
    (tmp_path / "V1__t.sql").write_text(f"CREATE TABLE t (id int PRIMARY KEY, {cols});\n{idx}")
    (tmp_path / "V2__two.sql").write_text(
        "CREATE TABLE x (id int PRIMARY KEY);\nCREATE TABLE y (id int PRIMARY KEY);\n"
    )
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / "V3__new.sql").write_text("CREATE INDEX ASYNC t_extra ON t (c1);\n")
    everything = lint_folder(tmp_path, select=("DSQL501", "DSQL820"))
    assert by_file(everything)["V2__two.sql"] == ["DSQL501"]
    assert by_file(everything)["V3__new.sql"] == ["DSQL820"]
    assert "V1__t.sql" in by_file(everything)  # Flyway runs the 24 DDL statements of V1 in one transaction
    changed = lint_folder(tmp_path, select=("DSQL501", "DSQL820"), diff_base="HEAD")
    assert by_file(changed) == {"V3__new.sql": ["DSQL820"]}  # V1 was replayed: t already had 24 indexes


def test_diff_base_with_an_unknown_ref_is_a_clear_error(tmp_path: Path) -> None:
    from dsql_lint.migrations import PlanError

    try:
        _git(tmp_path, "init", "-q")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available")
    (tmp_path / "V1__a.sql").write_text("SELECT 1;\n")
    with pytest.raises(PlanError, match="no-such-ref"):
        lint_folder(tmp_path, diff_base="no-such-ref")


def test_changes_are_the_replays_changes_without_a_model() -> None:
    entries = []
    for n, text in enumerate(("CREATE TABLE a (x int);", "UPDATE a SET x = 1;\nDELETE FROM a;")):
        source = Source(f"V{n + 1}__m.sql", text)
        entries.append(FolderEntry(source, describe(source.path, "plain"), summarize(build_script(source))))
    folder = MigrationFolder(entries)
    assert len(list(folder.changes())) == 3
    assert [(e.path, c) for e, c in folder.changes()] == [(e.path, c) for e, c, _ in folder.replay()]
