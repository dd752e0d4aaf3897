"""DSQL115: a column's type is checked against what DSQL stores, with what earlier migrations created."""

from __future__ import annotations

from pathlib import Path

from tests.migrations.helpers import lint_folder


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_an_enum_made_in_an_earlier_migration_is_flagged_where_a_column_uses_it(tmp_path: Path) -> None:
    _write(tmp_path, "V1__types.sql", "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN');\n")
    _write(tmp_path, "V2__users.sql", 'CREATE TABLE users (id uuid PRIMARY KEY, role "Role" NOT NULL);\n')
    _write(tmp_path, "V3__more.sql", 'ALTER TABLE users ADD COLUMN backup_role "Role";\n')
    found = lint_folder(tmp_path, select=("DSQL115",))
    assert [(Path(d.path).name, d.line) for d in found] == [("V2__users.sql", 1), ("V3__more.sql", 1)]
    assert "created on line 1 of" in found[0].message and "V1__types.sql" in found[0].message
    assert found[0].message.endswith('(DSQL answers `type "Role" does not exist`)')
    source = (tmp_path / "V2__users.sql").read_text(encoding="utf-8")
    assert source[found[0].start : found[0].end] == '"Role"'


def test_an_enum_made_inside_a_do_block_is_flagged(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "0000_init.sql",
        "DO $$ BEGIN\n CREATE TYPE \"public\".\"status\" AS ENUM('active', 'inactive');\n"
        "EXCEPTION WHEN duplicate_object THEN null;\nEND $$;\n--> statement-breakpoint\n"
        'CREATE TABLE "users" ("id" uuid PRIMARY KEY NOT NULL, "status" "status" DEFAULT \'active\');\n',
    )
    found = lint_folder(tmp_path, select=("DSQL115",))
    assert len(found) == 1 and "inside a DO block" in found[0].message


def test_a_domain_of_an_earlier_migration_counts_as_its_base_type(tmp_path: Path) -> None:
    _write(tmp_path, "V1__domains.sql", "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\n")
    _write(tmp_path, "V2__tags.sql", "CREATE DOMAIN tags AS hstore;\n")
    _write(tmp_path, "V3__users.sql", "CREATE TABLE users (id uuid PRIMARY KEY, address email, labels tags);\n")
    found = lint_folder(tmp_path, select=("DSQL115",))
    assert [d.message.split(":")[0] for d in found] == ["column `labels` has type `tags`"]


def test_every_storable_spelling_passes_and_extension_types_do_not(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "V1__t.sql",
        'CREATE TABLE t (id uuid PRIMARY KEY, a pg_catalog.int4, b "text", c timestamp(3) with time zone,\n'
        "  d interval day to second, e double precision, f character varying(20), g vector(3), h citext);\n",
    )
    found = lint_folder(tmp_path, select=("DSQL115",))
    assert [d.message.split(":")[0] for d in found] == [
        "column `g` has type `vector(3)`",
        "column `h` has type `citext`",
    ]
