"""What a new user meets first: a path without ``check``, ``-V``, grouped help, an empty folder, parse errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from dsql_lint.__about__ import __version__
from dsql_lint.cli.app import main
from dsql_lint.cli.fastpath import normalize_argv


def _run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    code = "import sys; from dsql_lint.cli.fastpath import main; sys.argv[0] = 'dsql-lint'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, input=stdin, capture_output=True, text=True, check=False
    )


def test_a_path_without_a_command_means_check(tmp_path: Path) -> None:
    (tmp_path / "V1__x.sql").write_text("CREATE INDEX i ON t (a);\n", encoding="utf-8")
    done = _run("--no-cache", "V1__x.sql", cwd=tmp_path)
    assert done.returncode == 1 and "DSQL301" in done.stdout, done.stderr
    done = _run("--format", "concise", "-", cwd=tmp_path, stdin="CREATE INDEX i ON t (a);\n")
    assert done.returncode == 1 and "DSQL301" in done.stdout, done.stderr
    assert CliRunner().invoke(main, ["--no-cache", str(tmp_path / "V1__x.sql")]).exit_code == 1


def test_short_version_flag(tmp_path: Path) -> None:
    done = _run("-V", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == f"dsql-lint {__version__}"
    assert CliRunner().invoke(main, ["-V"]).output.strip() == f"dsql-lint {__version__}"


def test_commands_and_group_options_are_left_alone() -> None:
    assert normalize_argv(["rules", "DSQL301"]) == ["rules", "DSQL301"]
    assert normalize_argv(["--help"]) == ["--help"]
    assert normalize_argv([]) == []
    assert normalize_argv(["migrations/"]) == ["check", "migrations/"]
    assert normalize_argv(["--fix", "x.sql"]) == ["check", "--fix", "x.sql"]


def test_check_help_groups_its_options() -> None:
    out = CliRunner().invoke(main, ["check", "--help"]).output
    titles = ["Rules:", "Output:", "Migration tools:", "Fixes:", "Cache and speed:", "Live mode (asks a real cluster):"]
    positions = [out.index(title) for title in titles]
    assert positions == sorted(positions)
    assert out.index("--format-of-migrations") > out.index("Migration tools:") > out.index("--exit-zero")
    other = out[out.index("Other options:") : out.index("Examples:")].splitlines()
    firsts = [line.split()[0] for line in other[1:] if line.strip() and line.lstrip().startswith("-")]
    assert firsts and set(firsts) <= {"-h,", "--help"}  # only the help option is left over


def test_a_folder_without_sql_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# nothing here\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path)])
    assert result.exit_code == 0
    assert "No SQL files found under the given paths" in result.output
    assert "All checks passed" not in result.output


def test_parse_errors_name_the_first_wrong_token_in_postgresql_words() -> None:
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "concise", "-"], input="SELEC 1;\n")
    assert '-:1:1: DSQL001 [error] cannot parse this statement: syntax error at or near "SELEC"' in result.output
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--format", "concise", "-"], input="CREATE TABLE (id int);\n"
    )
    assert "<Token" not in result.output and "TokenType" not in result.output
    assert '-:1:14: DSQL001 [error] cannot parse this statement: syntax error at or near "("' in result.output


def test_dialect_explanations_are_kept_over_postgresqls_error() -> None:
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--format", "concise", "-"], input="SELECT * FROM `users`;\n"
    )
    assert "backtick quoting is MySQL syntax" in result.output
