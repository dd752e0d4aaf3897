"""Presets: compat (what DSQL rejects), recommended (compat + house rules, the default), all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.settings import Settings, SettingsError, selected_rules
from dsql_lint.rules.registry import all_rules
from tests.conftest import codes

FK_SQL = "BEGIN;\nCREATE TABLE orders (id uuid PRIMARY KEY, customer_id uuid REFERENCES customers (id));\nCOMMIT;\n"
BARE_SEQUENCE = "CREATE SEQUENCE order_numbers CACHE 1;\n"


def _codes(**settings: object) -> set[str]:
    return {r.code for r in selected_rules(Settings(**settings))}  # type: ignore[arg-type]


def _house_default_on() -> set[str]:
    return {r.code for r in all_rules() if r.is_house_rule() and r.default_enabled}


def test_compat_runs_every_default_rule_except_house_rules() -> None:
    expected = {r.code for r in all_rules() if r.default_enabled and not r.is_house_rule()}
    assert _codes(preset="compat") == expected
    assert not any(code.startswith("DSQL9") for code in _codes(preset="compat"))


def test_recommended_is_compat_plus_the_default_on_house_rules() -> None:
    assert _codes(preset="recommended") == _codes(preset="compat") | _house_default_on()
    assert {"DSQL901", "DSQL902", "DSQL903"} <= _codes(preset="recommended")


def test_compat_is_the_default_preset_so_valid_dsql_passes_by_default() -> None:
    assert _codes() == _codes(preset="compat")
    assert not any(code.startswith("DSQL9") for code in _codes())


def test_strict_turns_the_house_rules_on_and_recommended_is_its_old_name() -> None:
    assert _codes(preset="strict") == _codes(preset="compat") | _house_default_on()
    assert _codes(preset="recommended") == _codes(preset="strict")


def test_all_runs_every_registered_rule_including_default_off_ones() -> None:
    assert _codes(preset="all") == {r.code for r in all_rules()}
    assert "DSQL904" in _codes(preset="all")


def test_no_foreign_keys_is_off_by_default() -> None:
    rule = next(r for r in all_rules() if r.code == "DSQL904")
    assert rule.name == "no-foreign-keys"
    assert rule.default_enabled is False
    assert "DSQL904" not in _codes(preset="recommended")
    assert "DSQL904" not in _codes(preset="compat")


@pytest.mark.parametrize("selector", ["DSQL904", "no-foreign-keys", "dsql904"])
def test_no_foreign_keys_runs_when_selected_by_code_or_name(selector: str) -> None:
    assert "DSQL904" in _codes(preset="recommended", extend_select=[selector])
    assert "DSQL904" in _codes(preset="compat", extend_select=[selector])
    assert _codes(select=[selector]) == {"DSQL904"}


def test_ignore_removes_a_house_rule_from_recommended() -> None:
    chosen = _codes(preset="recommended", ignore=["statement-outside-transaction-block"])
    assert "DSQL902" not in chosen
    assert "DSQL901" in chosen


def test_unknown_preset_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="unknown preset"):
        selected_rules(Settings(preset="strictest"))


def test_house_findings_follow_the_preset() -> None:
    assert set(codes(BARE_SEQUENCE, preset="recommended")) == {"DSQL901", "DSQL902"}
    assert codes(BARE_SEQUENCE, preset="compat") == []
    assert "DSQL904" not in codes(FK_SQL, preset="recommended")
    assert codes(FK_SQL, preset="all") == ["DSQL904"]
    assert codes(FK_SQL, preset="recommended", extend_select=["no-foreign-keys"]) == ["DSQL904"]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the CLI in an empty folder, so no project configuration changes the preset."""
    monkeypatch.chdir(tmp_path)


def _cli_codes(sql: str, *args: str) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--format", "json", "--stdin-filename", "m.sql", *args, "-"], input=sql)
    assert result.exit_code in (0, 1), result.output
    return sorted(d["code"] for d in json.loads(result.output)["diagnostics"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), []),
        (("--preset", "recommended"), []),
        (("--preset", "compat"), []),
        (("--preset", "all"), ["DSQL904"]),
        (("--extend-select", "DSQL904"), ["DSQL904"]),
        (("--extend-select", "no-foreign-keys"), ["DSQL904"]),
    ],
)
def test_cli_preset_option_decides_whether_no_foreign_keys_runs(
    isolated: None, args: tuple[str, ...], expected: list[str]
) -> None:
    assert _cli_codes(FK_SQL, *args) == expected


def test_cli_default_preset_runs_no_house_rules_and_strict_turns_them_on(isolated: None) -> None:
    assert _cli_codes(BARE_SEQUENCE) == []
    assert _cli_codes(BARE_SEQUENCE, "--preset", "compat") == []
    assert _cli_codes(BARE_SEQUENCE, "--preset", "strict") == ["DSQL901", "DSQL902"]
    assert _cli_codes(BARE_SEQUENCE, "--preset", "recommended") == ["DSQL901", "DSQL902"]
