"""``dsql-lint check`` without click (dsql_lint.cli.quickcheck): the same arguments, the same output, fewer imports.

The quick path must hand ``run_check`` exactly the keyword arguments click would hand
``cli.check``, or decline (None) and let click run; these tests compare both parsers on many
command lines, compare the two paths' output byte for byte in real subprocesses, and pin which
modules a plain check run leaves unimported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.cli import quickcheck
from dsql_lint.cli.app import check
from tests.conftest import ROOT

EXAMPLE = "examples/migrations/V1__create_accounts.sql"


def clicks(argv: list[str]) -> dict[str, Any] | None:
    """What click passes to ``cli.check`` for ``argv`` (after ``check``), or None when it stops or fails."""
    try:
        ctx = check.make_context("check", list(argv))
    except (click.exceptions.ClickException, click.exceptions.Exit):
        return None
    return dict(ctx.params)


@pytest.fixture(autouse=True)
def _no_cache_dir_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DSQL_LINT_CACHE_DIR", raising=False)
    monkeypatch.chdir(ROOT)


def test_the_defaults_are_clicks() -> None:
    assert clicks([]) == quickcheck.DEFAULTS
    assert quickcheck.parse(["check"]) == clicks([])


PLAIN = [
    [EXAMPLE],
    ["--no-cache", EXAMPLE],
    ["--preset", "recommended", "--cache-dir", "/tmp/x", "--no-cache", EXAMPLE],
    ["--format=json", "--select", "DSQL1", "--select=DSQL3,DSQL5", "examples/"],
    ["--ignore", "DSQL101", "--extend-select", "ALL", "--color", "--no-color", EXAMPLE, "examples"],
    ["-j", "2", "--jobs=3", "-j4", "--exit-zero", "--statistics", "--fail-on", "error", "."],
    ["--config", "pyproject.toml", "--exclude", "a/*", "--extend-exclude", "b", "--force-exclude", "x.sql"],
    ["--no-force-exclude", "--include-down", "--no-assume-in-transaction", "--format-of-migrations", "flyway"],
    ["--diff-base", "main", "--stdin-filename", "s.sql", "-", "--", "--not-an-option.sql"],
    ["--fix", "--diff", "--unsafe-fixes", "--add-noqa", "-o", "report.txt", "--output-file=r2.txt", EXAMPLE],
    ["--jobs", "007", "--format", "sarif", "--format", "junit", "--preset=compat", "--", "-"],
]


@pytest.mark.parametrize("argv", PLAIN)
def test_a_plain_command_line_is_parsed_as_click_parses_it(argv: list[str]) -> None:
    parsed = quickcheck.parse(["check", *argv])
    assert parsed is not None
    assert parsed == clicks(argv)


DECLINED = [
    ["--help"],
    ["-h"],
    ["--live"],
    ["--port", "5432"],
    ["--statement-timeout", "1e3"],
    ["--endpoint", "x"],
    ["--formats", "json"],  # unknown (click does not accept abbreviations, and says so its way)
    ["--form", "json"],
    ["--format", "JSON"],  # click's choices are case-sensitive: its error message
    ["--format"],  # missing value
    ["--select", "-x"],  # a value that looks like an option
    ["--select=-x"],
    ["-j", "-1"],
    ["-j", "+1"],
    ["-j", " 1"],
    ["-j", "1_0"],
    ["-j=2"],
    ["--jobs="],
    ["--no-cache=1"],
    ["--config", "examples"],  # a directory where click wants a file
    ["--cache-dir", EXAMPLE],  # a file where click wants a directory
    ["--output-file", "examples"],
    ["--cache-dir="],
    ["-x"],
    ["-oreport.txt"],
    ["--format-of-migrations", "nope"],
]


@pytest.mark.parametrize("argv", DECLINED)
def test_anything_unusual_is_left_to_click(argv: list[str]) -> None:
    assert quickcheck.parse(["check", *argv]) is None


def test_other_commands_and_completion_are_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    for argv in ([], ["rules"], ["config"], ["doctor"], ["--version"], ["chec"], ["--help", "check"]):
        assert quickcheck.parse(argv) is None
    monkeypatch.setenv("_DSQL_LINT_COMPLETE", "bash_complete")
    assert quickcheck.parse(["check", EXAMPLE]) is None


def test_the_cache_dir_variable_is_read_as_click_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DSQL_LINT_CACHE_DIR", "/tmp/somewhere")
    assert quickcheck.parse(["check", EXAMPLE]) == clicks([EXAMPLE])
    assert quickcheck.parse(["check", "--cache-dir", "x", EXAMPLE]) == clicks(["--cache-dir", "x", EXAMPLE])
    monkeypatch.setenv("DSQL_LINT_CACHE_DIR", "")
    assert quickcheck.parse(["check", EXAMPLE]) == clicks([EXAMPLE])
    monkeypatch.setenv("DSQL_LINT_CACHE_DIR", EXAMPLE)  # a file: click's error
    assert quickcheck.parse(["check", EXAMPLE]) is None


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions that bind")
def test_an_unreadable_path_is_left_to_click(tmp_path: Path) -> None:
    path = tmp_path / "locked.sql"
    path.write_text("SELECT 1;\n", encoding="utf-8")
    path.chmod(0)
    try:
        assert clicks([str(path)]) is None
        assert quickcheck.parse(["check", str(path)]) is None
    finally:
        path.chmod(0o600)


TOKENS = [
    *[opt for opt in quickcheck._FLAGS],
    *[opt for opt in quickcheck._VALUES],
    "--live", "--help", "--port", "--bogus", "-", "--", "-j2", "-jx", "-o", "-x",
    "json", "text", "JSON", "all", "compat", "warning", "error", "flyway", "goose", "auto",
    "0", "3", "-1", "07", "DSQL1", "DSQL3,DSQL5", "", "=", "examples", EXAMPLE, "pyproject.toml", "missing.sql",
    "--format=json", "--format=", "--jobs=2", "--select=", "--select=-x", "--no-cache=1", "--config=examples",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(TOKENS), max_size=7))
def test_the_quick_parser_agrees_with_click_or_declines(argv: list[str]) -> None:
    parsed = quickcheck.parse(["check", *argv])
    if parsed is not None:
        assert parsed == clicks(argv), argv


# -- the two paths, in real processes -------------------------------------------------------------

QUICK = [sys.executable, "-m", "dsql_lint"]
CLICK = [sys.executable, "-c", "import sys; from dsql_lint.cli.app import main; sys.argv[0] = 'dsql-lint'; main()"]


def _both(argv: list[str], stdin: bytes | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DSQL_LINT_CACHE_DIR", "NO_COLOR", "FORCE_COLOR")}
    runs = [
        subprocess.run([*cmd, *argv], cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=120)
        for cmd in (QUICK, CLICK)
    ]
    quick, slow = runs
    assert (quick.returncode, quick.stdout, quick.stderr) == (slow.returncode, slow.stdout, slow.stderr)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--no-cache", EXAMPLE],
        ["check", "--no-cache", "--format", "json", "examples/"],
        ["check", "--no-cache", "--statistics", "--select", "DSQL1,DSQL3", "examples/"],
        ["check", "--no-cache", "--format=concise", "--color", "--exit-zero", EXAMPLE],
        ["check", "--no-cache", "--preset", "compat", "missing.sql", EXAMPLE],
        ["check", "--no-cache", "--select", "DSQL999", EXAMPLE],
        ["check", "--no-cache", "--config", "missing.toml", EXAMPLE],
        ["check", "--no-cache", "--format-of-migrations", "flyway", "--include-down", "examples/"],
    ],
)
def test_the_quick_path_prints_what_click_prints(argv: list[str]) -> None:
    assert quickcheck.parse(argv) is not None
    _both(argv)


def test_standard_input_and_an_output_file(tmp_path: Path) -> None:
    sql = (ROOT / EXAMPLE).read_bytes()
    _both(["check", "--no-cache", "--stdin-filename", "in.sql", "-"], stdin=sql)
    report = tmp_path / "r.json"
    _both(["check", "--no-cache", "--format", "json", "-o", str(report), EXAMPLE])
    written = report.read_bytes()
    assert b'"DSQL101"' in written
    report.unlink()
    subprocess.run([*QUICK, "check", "--no-cache", "--format", "json", "-o", str(report), EXAMPLE], cwd=ROOT)
    assert report.read_bytes() == written


# -- what a plain check imports ----------------------------------------------------------------------

NOT_IMPORTED = (
    "click",
    "dsql_lint.cli.app",
    "dsql_lint.live.options",
    "dsql_lint.migrations.cli_options",
    "importlib.metadata",
    "uuid",
    "platform",
    "gettext",
    "difflib",
    "tempfile",
    "json",
    "sqlglot",
    "pglast",
    "boto3",
    "botocore",
    "psycopg",
    "dsql_lint.report.json_report",
    "dsql_lint.report.sarif",
    "dsql_lint.fix.apply",
    "dsql_lint.fix.noqa",
    "dsql_lint.lint.suppress_comments",  # the file has no suppression comment
)


def test_a_plain_check_imports_neither_click_nor_what_it_does_not_use() -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['dsql-lint', 'check', '--no-cache', {EXAMPLE!r}]\n"
        "from dsql_lint.cli.fastpath import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 1, exc.code\n"
        f"print('LOADED', sorted(m for m in {NOT_IMPORTED!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "DSQL101" in out.stdout, out.stdout + out.stderr
    assert out.stdout.strip().splitlines()[-1] == "LOADED []", out.stdout + out.stderr


# -- the exit without teardown ------------------------------------------------------------------------


def _program(tmp_path: Path, name: str, before: str = "") -> list[str]:
    script = tmp_path / name
    script.write_text(
        "import sys\n" + before + "from dsql_lint.cli.fastpath import main\nsys.exit(main())\n", encoding="utf-8"
    )
    return [sys.executable, str(script)]


def test_the_command_exits_without_teardown_only_when_nothing_is_lost(tmp_path: Path) -> None:
    argv = ["check", "--no-cache", EXAMPLE]
    expected = subprocess.run([*CLICK, *argv], cwd=ROOT, capture_output=True, timeout=120)
    plain = subprocess.run([*_program(tmp_path, "dsql-lint"), *argv], cwd=ROOT, capture_output=True, timeout=120)
    assert (plain.returncode, plain.stdout, plain.stderr) == (expected.returncode, expected.stdout, expected.stderr)
    # an atexit callback (or another thread) means the usual exit: the callback still runs
    hook = "import atexit\natexit.register(lambda: print('AT EXIT'))\n"
    hooked = subprocess.run([*_program(tmp_path, "dsql-lint", hook), *argv], cwd=ROOT, capture_output=True, timeout=120)
    assert hooked.returncode == expected.returncode
    assert hooked.stdout == expected.stdout + b"AT EXIT\n"
    # a program that calls main and goes on is never cut short
    other = _program(tmp_path, "my_tool.py")
    Path(other[1]).write_text(
        "import sys\nfrom dsql_lint.cli.fastpath import main\ntry:\n    main()\nexcept SystemExit as e:\n"
        "    print('AFTER', e.code)\n",
        encoding="utf-8",
    )
    after = subprocess.run([*other, *argv], cwd=ROOT, capture_output=True, timeout=120)
    assert after.stdout == expected.stdout + b"AFTER 1\n"


def test_only_the_command_itself_is_a_program(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not quickcheck._is_program()  # pytest's own entry
    quickcheck._exit_now(SystemExit(1))  # returns: this process goes on
    fake = type(sys)("__main__")
    for file, expected in (
        ("/usr/bin/dsql-lint", True),
        (str(ROOT / "dsql_lint" / "__main__.py"), True),
        ("x.py", False),
    ):
        fake.__file__ = file
        monkeypatch.setitem(sys.modules, "__main__", fake)
        assert quickcheck._is_program() is expected
