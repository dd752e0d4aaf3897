"""Configuration files: discovery, validation errors, merging with options, exclusion, exit codes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.file import ConfigError, Overrides, build_settings, discover_config, find_config, load_config
from dsql_lint.config.globs import path_matches

BAD_INDEX = "BEGIN;\nCREATE INDEX users_email ON users (email);\nCOMMIT;\n"
WARNING_ONLY = (
    "BEGIN;\nCREATE INDEX ASYNC users_email ON users (email);\nCOMMIT;\n"
    "INSERT INTO orders_archive SELECT * FROM orders;\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A temporary project folder that is also the working directory."""
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- discovery ------------------------------------------------------------------------------------


def test_pyproject_is_found_walking_up_from_the_linted_path(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dsql-lint]\nignore = ["DSQL301"]\n')
    sql = write(project / "db" / "migrations" / "001.sql", BAD_INDEX)
    assert find_config(sql) == project / "pyproject.toml"
    code, out, _ = run("check", "--no-color", str(sql))
    assert code == 0, out


def test_pyproject_without_the_table_is_skipped(project: Path) -> None:
    write(project / "dsql-lint.toml", 'ignore = ["DSQL301"]\n')
    write(project / "db" / "pyproject.toml", "[tool.black]\nline-length = 88\n")
    sql = write(project / "db" / "001.sql", BAD_INDEX)
    assert find_config(sql) == project / "dsql-lint.toml"


def test_dsql_lint_toml_wins_over_pyproject_in_the_same_folder(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dsql-lint]\npreset = "all"\n')
    write(project / ".dsql-lint.toml", 'preset = "compat"\n')
    assert find_config(project).name == ".dsql-lint.toml"  # type: ignore[union-attr]


def test_config_option_overrides_discovery(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dsql-lint]\nignore = ["DSQL301"]\n')
    other = write(project / "strict.toml", 'select = ["ALL"]\n')
    sql = write(project / "001.sql", BAD_INDEX)
    code, out, _ = run("check", "--no-color", "--config", str(other), str(sql))
    assert code == 1 and "DSQL301" in out


def test_no_config_file_means_defaults(project: Path) -> None:
    config = discover_config([str(project)])
    assert config.path is None and config.values == {}


# -- validation errors ----------------------------------------------------------------------------


def test_unknown_key_is_an_error_naming_the_file_and_a_suggestion(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dsql-lint]\nselct = ["DSQL3"]\n')
    sql = write(project / "001.sql", BAD_INDEX)
    code, _, err = run("check", str(sql))
    assert code == 2
    assert err.strip() == "error: pyproject.toml: [tool.dsql-lint] unknown key 'selct' (did you mean 'select'?)"


def test_unknown_key_in_a_dsql_lint_toml(project: Path) -> None:
    write(project / "dsql-lint.toml", "presets = 'all'\n")
    with pytest.raises(ConfigError, match=r"dsql-lint.toml: unknown key 'presets' \(did you mean 'preset'\?\)"):
        load_config(project / "dsql-lint.toml")


def test_malformed_toml_is_one_sentence_with_file_and_line(project: Path) -> None:
    write(project / "dsql-lint.toml", 'select = ["DSQL3"]\nignore == ["DSQL301"]\n')
    sql = write(project / "001.sql", BAD_INDEX)
    code, out, err = run("check", str(sql))
    assert code == 2 and out == ""
    assert err.startswith("error: dsql-lint.toml is not valid TOML:") and "line 2" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('select = ["DSQL399"]', "`select`"),
        ('ignore = ["no-such-rule"]', "`ignore`"),
        ('extend-select = ["XYZ"]', "`extend-select`"),
        ('[per-file-ignores]\n"legacy/*" = ["DSQL9999"]', "`per-file-ignores.legacy/*`"),
    ],
)
def test_unknown_rule_codes_are_errors_naming_file_and_key(project: Path, text: str, key: str) -> None:
    write(project / "dsql-lint.toml", text + "\n")
    sql = write(project / "001.sql", BAD_INDEX)
    code, _, err = run("check", str(sql))
    assert code == 2
    assert "dsql-lint.toml" in err and key in err and "unknown rule selector" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('preset = "strictest"', "`preset` must be one of compat, strict, recommended, all"),
        ('fail-on = "info"', "`fail-on` must be one of warning, error"),
        ("select = 3", "`select` must be a list of strings"),
        ('migrations = "rails"', "`migrations` must be one of"),
        ("[live]\nendpont = 'x'", "[live] unknown key 'endpont' (did you mean 'endpoint'?)"),
        ("[live]\nport = '5432'", "`live.port` must be an integer"),
        ('output-format = "xml"', "`output-format` must be one of"),
    ],
)
def test_wrong_values_are_errors(project: Path, text: str, message: str) -> None:
    write(project / "dsql-lint.toml", text + "\n")
    sql = write(project / "001.sql", BAD_INDEX)
    code, _, err = run("check", str(sql))
    assert code == 2, err
    assert message in err


def test_missing_config_file_is_an_error(project: Path) -> None:
    code, _, err = run("check", "--config", "nope.toml", ".")
    assert code == 2 and "nope.toml does not exist" in err


# -- merging --------------------------------------------------------------------------------------


def test_command_line_select_replaces_and_ignore_adds(project: Path) -> None:
    write(project / "dsql-lint.toml", 'select = ["DSQL3"]\nignore = ["DSQL302"]\nextend-select = ["DSQL101"]\n')
    config = load_config(project / "dsql-lint.toml")
    merged = build_settings(config, Overrides(ignore=["DSQL301"], extend_select=["DSQL201"]))
    assert merged.select == ["DSQL3"]
    assert merged.ignore == ["DSQL302", "DSQL301"]
    assert merged.extend_select == ["DSQL101", "DSQL201"]
    replaced = build_settings(config, Overrides(select=["DSQL1"], preset="all"))
    assert replaced.select == ["DSQL1"] and replaced.preset == "all"


def test_live_table_and_migrations_reach_the_settings(project: Path) -> None:
    write(
        project / "pyproject.toml",
        '[tool.dsql-lint]\nmigrations = "flyway"\n'
        '[tool.dsql-lint.live]\nendpoint = "x.dsql.us-east-1.on.aws"\nport = 5432\n',
    )
    settings = build_settings(load_config(project / "pyproject.toml"))
    assert settings.options["live"] == {"endpoint": "x.dsql.us-east-1.on.aws", "port": 5432}
    assert settings.migrations == "flyway"
    assert settings.root == str(project.resolve())


def test_config_subcommand_prints_the_resolved_configuration(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dsql-lint]\npreset = "compat"\nignore = ["DSQL3"]\n')
    code, out, _ = run("config", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["config-file"] == str((project / "pyproject.toml").resolve())
    assert data["preset"] == "compat" and data["ignore"] == ["DSQL3"]
    assert "DSQL101" in data["rules"] and "DSQL301" not in data["rules"] and "DSQL901" not in data["rules"]
    code, out, _ = run("config")
    assert code == 0 and out.startswith("# configuration file: ") and 'preset = "compat"' in out


def test_config_subcommand_reports_errors(project: Path) -> None:
    write(project / "pyproject.toml", "[tool.dsql-lint]\nfail_on = 'error'\n")
    code, _, err = run("config")
    assert code == 2 and "unknown key 'fail_on' (did you mean 'fail-on'?)" in err


# -- exclusion ------------------------------------------------------------------------------------


def test_globs_match_names_anywhere_and_paths_from_the_root(tmp_path: Path) -> None:
    root = tmp_path
    assert path_matches(str(root / "db" / "legacy" / "a.sql"), ["legacy"], root, parents=True)
    assert not path_matches(str(root / "db" / "legacy" / "a.sql"), ["legacy"], root, parents=False)
    assert path_matches(str(root / "db" / "legacy" / "a.sql"), ["db/legacy/**"], root, parents=False)
    assert path_matches(str(root / "db" / "x" / "V1.down.sql"), ["*.down.sql"], root, parents=False)
    assert path_matches(str(root / "db" / "x" / "y.sql"), ["**/x/*.sql"], root, parents=False)
    assert not path_matches(str(root / "other" / "legacy2" / "a.sql"), ["db/legacy/**"], root, parents=True)


def test_exclude_skips_files_found_in_folders_but_not_named_files(project: Path) -> None:
    write(project / "dsql-lint.toml", 'exclude = ["legacy"]\n')
    write(project / "db" / "legacy" / "001.sql", BAD_INDEX)
    write(project / "db" / "002.sql", "SELECT 1;\n")
    code, out, _ = run("check", "--no-color", "db")
    assert code == 0 and "1 file checked" in out
    code, out, _ = run("check", "--no-color", "db/legacy/001.sql")
    assert code == 1 and "DSQL301" in out


def test_force_exclude_skips_named_files_too(project: Path) -> None:
    write(project / "dsql-lint.toml", 'exclude = ["legacy"]\n')
    sql = write(project / "db" / "legacy" / "001.sql", BAD_INDEX)
    code, out, _ = run("check", "--no-color", "--force-exclude", str(sql))
    assert code == 0 and "No SQL files found under the given paths" in out
    code, _, _ = run("check", "--extend-exclude", "legacy", "--force-exclude", "db/legacy/001.sql")
    assert code == 0


def test_per_file_ignores_from_the_file_apply_through_the_cli(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.dsql-lint.per-file-ignores]\n"db/legacy/*.sql" = ["DSQL3"]\n')
    write(project / "db" / "legacy" / "001.sql", BAD_INDEX)
    write(project / "db" / "new" / "002.sql", BAD_INDEX)
    code, out, _ = run("check", "--no-color", "--format", "concise", "db")
    assert code == 1
    assert "new/002.sql" in out and "legacy/001.sql" not in out


# -- exit codes -----------------------------------------------------------------------------------


def test_fail_on_error_lets_warnings_pass(project: Path) -> None:
    sql = write(project / "001.sql", WARNING_ONLY)
    code, out, _ = run("check", "--no-color", str(sql))
    assert code == 1 and "[warning]" in out and "[error]" not in out
    assert run("check", "--fail-on", "error", str(sql))[0] == 0
    write(project / "dsql-lint.toml", 'fail-on = "error"\n')
    assert run("check", str(sql))[0] == 0
    assert run("check", "--fail-on", "warning", str(sql))[0] == 1


def test_exit_zero_exits_zero_with_findings_but_not_on_errors(project: Path) -> None:
    sql = write(project / "001.sql", BAD_INDEX)
    assert run("check", "--exit-zero", str(sql))[0] == 0
    assert run("check", "--exit-zero", str(sql), "missing.sql")[0] == 2


def test_python_api_takes_configuration_keys() -> None:
    import dsql_lint

    sql = "CREATE INDEX i ON t (a);\n"
    assert [d.code for d in dsql_lint.lint_sql(sql, config={"preset": "compat"})] == ["DSQL301"]
    ignores = {"preset": "compat", "per-file-ignores": {"legacy": ["DSQL3"]}}
    assert dsql_lint.lint_sql(sql, path="db/legacy/a.sql", config=ignores) == []
    with pytest.raises(ValueError, match="unknown key 'selct'"):
        dsql_lint.lint_sql(sql, config={"selct": ["DSQL3"]})


def test_live_table_accepts_every_live_option_with_its_type(tmp_path: Path) -> None:
    from dsql_lint.config.file import ConfigError, load_config

    good = tmp_path / "good" / "dsql-lint.toml"
    good.parent.mkdir()
    good.write_text(
        '[live]\nendpoint = "abc.dsql.us-east-1.on.aws"\nindex-limit = 20\nstatement-timeout = 2.5\n'
        'tls-negotiation = "classic"\nmax-retries = 5\n'
    )
    assert load_config(good).values["live"]["index-limit"] == 20
    bad = tmp_path / "bad" / "dsql-lint.toml"
    bad.parent.mkdir()
    bad.write_text('[live]\nindex-limit = "many"\n')
    with pytest.raises(ConfigError, match=r"live\.index-limit` must be an integer"):
        load_config(bad)
