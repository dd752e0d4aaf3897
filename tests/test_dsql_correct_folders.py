# ruff: noqa: E501
"""Folders that DSQL accepts exit 0 with the default settings, whatever tool runs them.

Each folder is written the way its tool lays files out and the way a team writing for DSQL
would write them (one DDL statement per transaction, ASYNC indexes, the tool's own switch to
keep its history insert out of the DDL's transaction). A default rule that fires on any of
them fails a correct build.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main

ROOT = Path(__file__).resolve().parent.parent
TABLE = "CREATE TABLE accounts (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);\n"
INDEX = "CREATE INDEX ASYNC accounts_name ON accounts (name);\n"
SEED = "INSERT INTO accounts (name) VALUES ('example');\n"

FOLDERS: dict[str, dict[str, str]] = {
    "flyway": {"V1__accounts.sql": TABLE, "V2__index.sql": INDEX, "V3__seed.sql": SEED},
    "golang-migrate": {
        "1_accounts.up.sql": TABLE, "1_accounts.down.sql": "DROP TABLE accounts;\n",
        "2_index.up.sql": INDEX, "2_index.down.sql": "DROP INDEX accounts_name;\n",
    },
    "goose": {
        "00001_accounts.sql": "-- +goose NO TRANSACTION\n-- +goose Up\n" + TABLE + "-- +goose Down\nDROP TABLE accounts;\n",
        "00002_seed.sql": "-- +goose Up\n" + SEED,
    },
    "dbmate": {
        "20240101000000_accounts.sql": "-- migrate:up transaction:false\n" + TABLE + "\n-- migrate:down\nDROP TABLE accounts;\n",
        "20240102000000_seed.sql": "-- migrate:up\n" + SEED + "\n-- migrate:down\nDELETE FROM accounts WHERE name = 'example';\n",
    },
    "prisma": {
        "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
        "prisma/migrations/20240101000000_init/migration.sql": "BEGIN;\n" + TABLE + "COMMIT;\nBEGIN;\n" + INDEX + "COMMIT;\n",
    },
    "supabase": {
        "supabase/migrations/20240101000000_init.sql": "begin;\n" + TABLE + "commit;\n",
        "supabase/migrations/20240102000000_seed.sql": SEED,
    },
    "diesel": {
        "diesel.toml": "[migrations_directory]\ndir = \"migrations\"\n",
        "migrations/2024-01-01-000000_accounts/up.sql": TABLE,
        "migrations/2024-01-01-000000_accounts/down.sql": "DROP TABLE accounts;\nDROP TABLE IF EXISTS old;\n",
        "migrations/2024-01-01-000000_accounts/metadata.toml": "run_in_transaction = false\n",
        "migrations/2024-01-02-000000_seed/up.sql": SEED,
        "migrations/2024-01-02-000000_seed/down.sql": "DELETE FROM accounts WHERE name = 'example';\n",
    },
    "sqlx": {
        "Cargo.toml": "[package]\nname = \"example\"\n",
        "migrations/20240101000000_accounts.sql": "-- no-transaction\n" + TABLE,
        "migrations/20240102000000_seed.sql": SEED,
    },
    "drizzle": {
        "drizzle/meta/_journal.json": json.dumps({"entries": [{"idx": 0, "tag": "0000_init"}]}),
        "drizzle/0000_init.sql": TABLE + "--> statement-breakpoint\n" + INDEX,
    },
    "plain": {"001_accounts.sql": TABLE, "002_index.sql": INDEX, "003_seed.sql": SEED},
}  # fmt: skip


@pytest.mark.parametrize("tool", sorted(FOLDERS))
def test_a_dsql_correct_folder_exits_zero_with_defaults(tool: str, tmp_path: Path) -> None:
    for name, text in FOLDERS[tool].items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(tmp_path)])
    doc = json.loads(result.output)
    assert result.exit_code == 0, [d["code"] + " " + d["message"] for d in doc["diagnostics"]]
    assert {t["tool"] for t in doc["migration_tools"]} <= {tool, "plain"}
    assert tool in {t["tool"] for t in doc["migration_tools"]}


def test_the_bundled_dsql_ready_example_exits_zero_and_the_other_one_fails() -> None:
    command = [sys.executable, "-m", "dsql_lint"]
    clean = subprocess.run([*command, "check", "--no-cache", "examples/dsql-ready/"], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)  # fmt: skip
    assert clean.returncode == 0 and "All checks passed!" in clean.stdout, clean.stdout + clean.stderr
    failing = subprocess.run([*command, "check", "--no-cache", "examples/migrations/"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert failing.returncode == 1 and "DSQL301" in failing.stdout
