"""The migration options of ``dsql-lint check`` through the real command line."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from dsql_lint.cli.app import main
from tests.migrations.helpers import FIXTURES


def _codes(*args: str) -> list[tuple[str, str]]:
    result = CliRunner().invoke(main, ["check", "--format", "json", "--select", "DSQL501", *args])
    assert result.exit_code in (0, 1), result.output
    return [(os.path.basename(d["path"]), d["code"]) for d in json.loads(result.output)["diagnostics"]]


def test_assume_in_transaction_flag_turns_a_plain_file_into_one_transaction() -> None:
    folder = os.fspath(FIXTURES / "plain")
    assert _codes(folder) == []
    assert _codes("--assume-in-transaction", folder) == [("001_schema.sql", "DSQL501")]


def test_format_of_migrations_flag_forces_the_tool() -> None:
    assert _codes("--format-of-migrations", "flyway", os.fspath(FIXTURES / "plain")) == [("001_schema.sql", "DSQL501")]


def test_include_down_flag_lints_down_files() -> None:
    folder = os.fspath(FIXTURES / "golang-migrate")
    assert ("10_two_tables.down.sql", "DSQL501") in _codes("--include-down", folder)


def test_unknown_diff_base_exits_2_with_one_sentence(tmp_path: os.PathLike[str]) -> None:
    result = CliRunner().invoke(main, ["check", "--diff-base", "no-such-ref", os.fspath(FIXTURES / "plain")])
    assert result.exit_code == 2
    assert "--diff-base" in result.output


def test_output_piped_on_stdin_is_recognised_from_its_text() -> None:
    text = (FIXTURES / "goose" / "00002_orders.sql").read_text()
    result = CliRunner().invoke(main, ["check", "--format", "json", "--select", "DSQL501", "-"], input=text)
    messages = [d["message"] for d in json.loads(result.output)["diagnostics"]]
    assert len(messages) == 1 and "goose runs the Up section" in messages[0]
