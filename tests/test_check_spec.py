"""Every ``check`` option is declared once, in dsql_lint/cli/check_spec.py (issue 18): click's command,
the quick parser and the replay all read that table."""

from __future__ import annotations

import ast
from pathlib import Path

import click

from dsql_lint.cli import check_spec, fastpath, quickcheck
from dsql_lint.cli.app import doctor, main

ROOT = Path(__file__).resolve().parent.parent


def test_the_click_command_has_exactly_the_declared_options_in_order() -> None:
    check = main.commands["check"]
    params = [p.name for p in check.params]
    assert params == ["paths", *(o.param for o in check_spec.OPTIONS)]
    for param, option in zip(check.params[1:], check_spec.OPTIONS, strict=True):
        assert isinstance(param, click.Option)
        spelt = [*param.opts, *param.secondary_opts]
        assert spelt == [n for name in option.names for n in name.split("/")]
        assert param.help == option.help


def test_doctor_takes_the_live_connection_options() -> None:
    live = [o.param for o in check_spec.OPTIONS if o.section == check_spec.LIVE and o.param != "live"]
    assert [p.name for p in doctor.params] == live


def test_the_quick_parser_and_the_replay_read_the_same_table() -> None:
    assert quickcheck.DEFAULTS is check_spec.DEFAULTS
    assert quickcheck._FLAGS is check_spec.QUICK_FLAGS and quickcheck._VALUES is check_spec.QUICK_VALUES
    assert fastpath._VALUE_OPTIONS is check_spec.REPLAY_VALUES and fastpath._FLAGS is check_spec.REPLAY_FLAGS
    assert "--fix" not in check_spec.REPLAY_FLAGS and "--live" not in check_spec.QUICK_FLAGS


def test_no_other_module_declares_a_click_option() -> None:
    """``click.option(`` appears only in the table's builder and in the small commands' own options."""
    declaring = set()
    for path in (ROOT / "dsql_lint").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "option" and getattr(node.value, "id", "") == "click":
                declaring.add(path.relative_to(ROOT).as_posix())
    assert declaring == {"dsql_lint/cli/check_spec.py", "dsql_lint/cli/app.py"}
