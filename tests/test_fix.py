"""Autofix: edits applied to the original text, passes to a fixpoint, rollback, and the CLI modes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.settings import Settings
from dsql_lint.fix.apply import (
    MAX_PASSES,
    analyser,
    apply_fixes,
    edits_conflict,
    fix_source,
    shift_offset,
    unified_diff,
)
from dsql_lint.frontend.script import build_script
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity, Transaction
from dsql_lint.rules.api import Context
from dsql_lint.rules.transactions.multiple_ddl_in_transaction import MultipleDdlInTransaction
from dsql_lint.run.lint import make_linter
from dsql_lint.text.source import Source
from tests.conftest import ROOT
from tests.test_precommit import _repo_with, _skip_on_install_failure, precommit_env  # noqa: F401 (a fixture)

# ---------------------------------------------------------------- helpers


def fixed(sql: str, unsafe: bool = False, **settings: object) -> str:
    """``sql`` after ``--fix`` (``--unsafe-fixes`` when ``unsafe``) with the given settings (default compat)."""
    settings.setdefault("preset", "compat")
    analyse = analyser(make_linter(Settings(**settings)))  # type: ignore[arg-type]
    return fix_source(Source("t.sql", sql), analyse, unsafe=unsafe).source.text


def remaining_codes(sql: str, **settings: object) -> list[str]:
    settings.setdefault("preset", "compat")
    analyse = analyser(make_linter(Settings(**settings)))  # type: ignore[arg-type]
    return [d.code for d in analyse(Source("t.sql", sql))[0]]


def finding(start: int, end: int, text: str, code: str = "X001", safety: FixSafety = FixSafety.SAFE) -> Diagnostic:
    """A synthetic diagnostic carrying one edit, for engine tests that need exact control."""
    return Diagnostic(
        path="t.sql",
        line=1,
        column=start + 1,
        end_line=1,
        end_column=end + 1,
        code=code,
        name="synthetic",
        severity=Severity.ERROR,
        message=f"{code} at {start}",
        help="",
        url="",
        fix=Fix((Edit(start, end, text),), safety, f"edit {code}"),
        start=start,
        end=end,
    )


def parse_failures(source: Source) -> int:
    return sum(1 for s in build_script(source).statements if s.parse_failure is not None)


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=stdin)


# ---------------------------------------------------------------- applying edits


def test_safe_fixes_are_applied_and_unsafe_ones_only_with_unsafe_fixes() -> None:
    sql = "CREATE INDEX users_name ON users (last_name ASC, first_name DESC);\n"
    assert fixed(sql) == "CREATE INDEX ASYNC users_name ON users (last_name, first_name DESC);\n"
    assert fixed(sql, unsafe=True) == "CREATE INDEX ASYNC users_name ON users (last_name, first_name);\n"


def test_comments_case_quoting_and_layout_outside_the_edits_stay_byte_for_byte() -> None:
    sql = (
        "-- the email index, see ticket 42\n"
        'create   unique INDEX /* sync! */ "Users_Email"\n'
        '    on "public".users ( email   asc /* dense */ , "desc" )  -- trailing\n'
        "    ;\n"
    )
    assert fixed(sql) == (
        "-- the email index, see ticket 42\n"
        'create   unique INDEX ASYNC /* sync! */ "Users_Email"\n'
        '    on "public".users ( email /* dense */ , "desc" )  -- trailing\n'
        "    ;\n"
    )


def test_fixing_twice_changes_nothing_the_second_time() -> None:
    sql = (
        "BEGIN;\nCREATE TABLE t (id serial PRIMARY KEY); -- ids\n"
        "CREATE INDEX t_id ON t (id DESC);\nINSERT INTO t DEFAULT VALUES;\nCOMMIT;\n"
    )
    once = fixed(sql, unsafe=True)
    assert once != sql
    assert fixed(once, unsafe=True) == once
    assert remaining_codes(once) == []


def test_crlf_files_get_crlf_in_inserted_lines() -> None:
    sql = "BEGIN;\r\nCREATE TABLE a (id uuid PRIMARY KEY);\r\nCREATE TABLE b (id uuid PRIMARY KEY);\r\nCOMMIT;\r\n"
    out = fixed(sql, unsafe=True)
    assert out == (
        "BEGIN;\r\nCREATE TABLE a (id uuid PRIMARY KEY);\r\nCOMMIT;\r\nBEGIN;\r\n"
        "CREATE TABLE b (id uuid PRIMARY KEY);\r\nCOMMIT;\r\n"
    )
    assert "\n" not in out.replace("\r\n", "")


def test_apply_fixes_adapts_newlines_of_inserted_text_to_crlf_files() -> None:
    assert apply_fixes("ab\r\ncd\r\n", [Fix((Edit(4, 4, "x\ny"),), FixSafety.SAFE, "t")]) == "ab\r\nx\r\nycd\r\n"
    assert apply_fixes("ab\ncd\n", [Fix((Edit(3, 3, "x\ny"),), FixSafety.SAFE, "t")]) == "ab\nx\nycd\n"


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (Edit(0, 5, ""), Edit(3, 8, ""), True),  # overlap
        (Edit(0, 5, ""), Edit(5, 8, ""), False),  # adjacent replacements are independent
        (Edit(5, 5, "x"), Edit(5, 5, "y"), True),  # two insertions at one point: order ambiguous
        (Edit(5, 5, "x"), Edit(5, 8, ""), True),  # insertion touching a replacement
        (Edit(5, 5, "x"), Edit(0, 5, ""), True),
        (Edit(5, 5, "x"), Edit(6, 8, ""), False),
        (Edit(2, 2, "x"), Edit(0, 5, ""), True),  # insertion inside a replacement
    ],
)
def test_edit_conflicts(a: Edit, b: Edit, conflict: bool) -> None:
    assert edits_conflict(a, b) is conflict
    assert edits_conflict(b, a) is conflict


# ---------------------------------------------------------------- the pass loop


def _scripted(findings_by_text: dict[str, list[Diagnostic]]):  # type: ignore[no-untyped-def]
    """An analyse function that answers fixed findings per text (and counts real parse failures)."""

    def analyse(source: Source) -> tuple[list[Diagnostic], int]:
        return list(findings_by_text.get(source.text, [])), parse_failures(source)

    return analyse


def test_overlapping_fixes_are_deferred_to_the_next_pass() -> None:
    text = "SELECT 1;"
    # Both fixes insert at offset 0: the second waits for a pass that sees fresh offsets.
    first, second = finding(0, 0, "/*a*/", "X001"), finding(0, 0, "/*b*/", "X002")
    lint = _scripted({text: [first, second], "/*a*/SELECT 1;": [finding(0, 0, "/*b*/", "X002")]})
    outcome = fix_source(Source("t.sql", text), lint)
    assert outcome.source.text == "/*b*//*a*/SELECT 1;"
    assert outcome.passes == 2
    assert [d.code for d in outcome.fixed] == ["X001", "X002"]


def test_two_findings_with_the_same_edits_share_one_fix() -> None:
    text = "SELECT 1;"
    lint = _scripted({text: [finding(6, 6, " 2,", "X001"), finding(6, 6, " 2,", "X002")]})
    outcome = fix_source(Source("t.sql", text), lint)
    assert outcome.source.text == "SELECT 2, 1;"
    assert len(outcome.fixed) == 2


def test_a_fix_that_breaks_parsing_is_rolled_back_and_others_still_apply() -> None:
    text = "SELECT 1;\nSELECT (2);\n"
    breaking = finding(17, 18, "", "X001")  # deletes ')'
    harmless = finding(7, 8, "3", "X002")  # 1 -> 3
    lint = _scripted({text: [breaking, harmless], "SELECT 3;\nSELECT (2);\n": [finding(17, 18, "", "X001")]})
    outcome = fix_source(Source("t.sql", text), lint)
    assert outcome.source.text == "SELECT 3;\nSELECT (2);\n"
    assert [d.code for d in outcome.rolled_back] == ["X001"]
    assert [d.code for d in outcome.fixed] == ["X002"]
    assert [d.code for d in outcome.remaining] == ["X001"]


def test_a_fix_on_a_statement_that_never_parsed_is_not_rolled_back() -> None:
    text = "SELECT (1;\n"
    lint = _scripted({text: [finding(9, 9, ")", "X001")]})
    outcome = fix_source(Source("t.sql", text), lint)
    assert outcome.source.text == "SELECT (1);\n" and not outcome.rolled_back


def test_the_pass_limit_stops_a_rule_that_always_offers_a_fix() -> None:
    def lint(source: Source) -> tuple[list[Diagnostic], int]:
        return [finding(0, 0, "-- again\n", "X001")], 0

    outcome = fix_source(Source("t.sql", "SELECT 1;"), lint)
    assert outcome.passes == MAX_PASSES and outcome.stopped_early
    assert outcome.source.text.count("-- again") == MAX_PASSES


def test_fixes_that_undo_each_other_stop_without_looping() -> None:
    a, b = "SELECT 1;", "SELECT 2;"
    lint = _scripted({a: [finding(7, 8, "2")], b: [finding(7, 8, "1")]})
    outcome = fix_source(Source("t.sql", a), lint)
    assert outcome.stopped_early and outcome.source.text == b and outcome.passes == 2


def test_a_malformed_fix_is_never_applied() -> None:
    text = "SELECT 1;"
    lint = _scripted({text: [finding(5, 50, "x")]})
    outcome = fix_source(Source("t.sql", text), lint)
    assert not outcome.changed and outcome.source.text == text


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff("a.sql", "SELECT 1;", "SELECT 2;")
    assert diff.splitlines() == [
        "--- a.sql",
        "+++ a.sql",
        "@@ -1 +1 @@",
        "-SELECT 1;",
        "\\ No newline at end of file",
        "+SELECT 2;",
        "\\ No newline at end of file",
    ]
    assert unified_diff("a.sql", "x", "x") == ""


# ---------------------------------------------------------------- DSQL501 / DSQL502 split fixes


def test_split_uses_the_blocks_own_opening_and_closing_words_and_case() -> None:
    sql = (
        "begin isolation level repeatable read;\ncreate table a (id uuid primary key);\n"
        "create table b (id uuid primary key);\nend;\n"
    )
    assert fixed(sql, unsafe=True) == (
        "begin isolation level repeatable read;\ncreate table a (id uuid primary key);\n"
        "end;\nbegin isolation level repeatable read;\ncreate table b (id uuid primary key);\nend;\n"
    )


def test_split_moves_own_line_comments_with_the_statement_and_leaves_trailing_ones() -> None:
    sql = (
        "BEGIN;\n"
        "  CREATE TABLE a (id uuid PRIMARY KEY); -- belongs to a\n"
        "\n"
        "  -- belongs to the insert\n"
        "  INSERT INTO a VALUES (gen_random_uuid());\n"
        "COMMIT;\n"
    )
    assert fixed(sql, unsafe=True) == (
        "BEGIN;\n"
        "  CREATE TABLE a (id uuid PRIMARY KEY); -- belongs to a\n"
        "\n"
        "  COMMIT;\n"
        "  BEGIN;\n"
        "  -- belongs to the insert\n"
        "  INSERT INTO a VALUES (gen_random_uuid());\n"
        "COMMIT;\n"
    )


def test_split_of_statements_on_one_line_stays_on_that_line() -> None:
    sql = "BEGIN; CREATE TABLE a (id uuid PRIMARY KEY); CREATE TABLE b (id uuid PRIMARY KEY); COMMIT;"
    assert fixed(sql, unsafe=True) == (
        "BEGIN; CREATE TABLE a (id uuid PRIMARY KEY); COMMIT; BEGIN; CREATE TABLE b (id uuid PRIMARY KEY); COMMIT;"
    )


def test_split_gives_every_extra_ddl_statement_its_own_transaction_in_one_pass() -> None:
    sql = "BEGIN;\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\nCREATE TABLE c (x int);\nCOMMIT;\n"
    out = fixed(sql, unsafe=True)
    assert out.count("BEGIN;") == 3 and out.count("COMMIT;") == 3
    assert remaining_codes(out) == []


@pytest.mark.parametrize(
    "sql",
    [
        "BEGIN;\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\nROLLBACK;\n",  # committing would keep a
        "BEGIN;\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\n",  # never committed
        "BEGIN;\nSET LOCAL search_path = app;\nCREATE TABLE a (x int);\nCREATE TABLE b (x int);\nCOMMIT;\n",
    ],
    ids=["rollback", "unterminated", "set-local"],
)
def test_split_is_not_offered_where_committing_part_of_the_block_changes_its_meaning(sql: str) -> None:
    found = [d for d in remaining_codes_with_fixes(sql) if d.code == "DSQL501"]
    assert found and all(d.fix is None for d in found)


def remaining_codes_with_fixes(sql: str) -> list[Diagnostic]:
    return analyser(make_linter(Settings(preset="compat")))(Source("t.sql", sql))[0]


def test_split_is_not_offered_inside_a_transaction_a_migration_tool_opens() -> None:
    script = build_script(Source("V1__x.sql", "CREATE TABLE a (x int);\nCREATE TABLE b (x int);\n"))
    managed = Transaction(list(script.statements), explicit=False, managed=True, reason="Flyway runs each file")
    found = list(MultipleDdlInTransaction().check(managed, Context()))
    assert [d.code for d in found] == ["DSQL501"] and found[0].fix is None


# ---------------------------------------------------------------- the command line


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


BAD = "CREATE INDEX t_a ON t (a ASC);\nCREATE INDEX t_b ON t (b DESC);\n"


def test_fix_rewrites_the_file_and_says_how_many_were_fixed_and_remain(tmp_path: Path) -> None:
    path = write(tmp_path, "a.sql", BAD)
    result = run("check", "--fix", "--preset", "compat", str(path))
    assert path.read_text() == "CREATE INDEX ASYNC t_a ON t (a);\nCREATE INDEX ASYNC t_b ON t (b DESC);\n"
    assert result.exit_code == 1
    assert "Fixed 3 findings, 1 remaining." in result.stdout
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option." in result.stdout
    assert f"{path}:2:32: DSQL302" in result.stdout  # positions refer to the fixed file


def test_fix_with_unsafe_fixes_exits_zero_when_nothing_remains(tmp_path: Path) -> None:
    path = write(tmp_path, "a.sql", BAD)
    result = run("check", "--fix", "--unsafe-fixes", "--preset", "compat", str(path))
    assert result.exit_code == 0, result.output
    assert "Fixed 4 findings, 0 remaining." in result.stdout
    assert path.read_text() == "CREATE INDEX ASYNC t_a ON t (a);\nCREATE INDEX ASYNC t_b ON t (b);\n"


def test_check_without_fix_counts_fixable_and_hidden_fixes(tmp_path: Path) -> None:
    result = run("check", "--preset", "compat", str(write(tmp_path, "a.sql", BAD)))
    assert "[*] 3 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option)." in (
        result.stdout
    )


def test_fix_never_touches_a_file_with_nothing_to_fix(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ok.sql",
        "CREATE TABLE t (id uuid PRIMARY KEY);\nCREATE TRIGGER x AFTER INSERT ON t EXECUTE FUNCTION f();\n",
    )
    os.utime(path, (1_000_000, 1_000_000))
    result = run("check", "--fix", "--preset", "compat", str(path))
    assert result.exit_code == 1  # the trigger has no fix and remains
    assert path.stat().st_mtime == 1_000_000


def test_fix_keeps_permissions_bom_and_writes_through_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.sql"
    real.write_bytes(b"\xef\xbb\xbfCREATE INDEX i ON t (a);\r\n")
    real.chmod(0o640)
    link = tmp_path / "link.sql"
    link.symlink_to(real)
    result = run("check", "--fix", "--preset", "compat", str(link))
    assert result.exit_code == 0, result.output
    assert real.read_bytes() == b"\xef\xbb\xbfCREATE INDEX ASYNC i ON t (a);\r\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert link.is_symlink()
    assert not [p for p in tmp_path.iterdir() if p.name not in ("real.sql", "link.sql")]  # no temp file left


def test_diff_prints_a_patch_and_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "a.sql", BAD)
    result = run("check", "--diff", "--preset", "compat", str(path))
    assert result.exit_code == 1
    assert path.read_text() == BAD
    assert result.stdout == (
        f"--- {path}\n+++ {path}\n@@ -1,2 +1,2 @@\n"
        "-CREATE INDEX t_a ON t (a ASC);\n-CREATE INDEX t_b ON t (b DESC);\n"
        "+CREATE INDEX ASYNC t_a ON t (a);\n+CREATE INDEX ASYNC t_b ON t (b DESC);\n"
    )
    assert "Would fix 3 findings in 1 file." in result.stderr


def test_diff_with_fix_still_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, "a.sql", BAD)
    assert run("check", "--diff", "--fix", "--preset", "compat", str(path)).exit_code == 1
    assert path.read_text() == BAD


def test_diff_is_silent_and_exits_zero_when_nothing_would_change(tmp_path: Path) -> None:
    path = write(tmp_path, "a.sql", "CREATE TRIGGER x AFTER INSERT ON t EXECUTE FUNCTION f();\n")
    result = run("check", "--diff", "--preset", "compat", str(path))
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_stdin_fix_writes_only_the_fixed_sql_to_stdout() -> None:
    result = run("check", "--fix", "--preset", "compat", "-", stdin=BAD)
    assert result.stdout == "CREATE INDEX ASYNC t_a ON t (a);\nCREATE INDEX ASYNC t_b ON t (b DESC);\n"
    assert "DSQL302" in result.stderr and "Fixed 3 findings, 1 remaining." in result.stderr
    assert result.exit_code == 1


def test_stdin_fix_echoes_input_with_nothing_to_fix() -> None:
    sql = "CREATE TABLE t (id uuid PRIMARY KEY);"
    result = run("check", "--fix", "--preset", "compat", "-", stdin=sql)
    assert result.stdout == sql and result.exit_code == 0


def test_stdin_fix_with_other_paths_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", "--fix", "-", str(write(tmp_path, "a.sql", BAD)), stdin=BAD)
    assert result.exit_code == 2 and "must be the only path" in result.stderr


def test_fix_through_a_real_subprocess(tmp_path: Path) -> None:
    path = write(tmp_path, "V1__idx.sql", "-- keep me\nCREATE INDEX CONCURRENTLY i ON t (a);\n")
    proc = subprocess.run(
        [sys.executable, "-m", "dsql_lint.cli.app", "check", "--fix", "--preset", "compat", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert path.read_text() == "-- keep me\nCREATE INDEX ASYNC i ON t (a);\n"
    assert "Fixed 1 finding, 0 remaining." in proc.stdout


def test_pre_commit_hook_for_fix_is_declared() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: dsql-lint-fix" in text
    block = text.split("- id: dsql-lint-fix", 1)[1].split("\n- id:", 1)[0]
    assert "entry: dsql-lint check --fix" in block
    assert "language: python" in block and "types: [sql]" in block and "require_serial: true" in block


def test_offsets_of_the_original_map_onto_the_fixed_text() -> None:
    edits = [Edit(2, 2, "xx"), Edit(5, 7, ""), Edit(9, 10, "abc")]
    assert [shift_offset(o, edits) for o in (0, 2, 3, 5, 6, 7, 9, 10, 12)] == [0, 4, 5, 7, 7, 7, 9, 12, 14]


def test_a_flyway_file_is_never_split_with_commit_and_begin(tmp_path: Path) -> None:
    folder = tmp_path / "db" / "migration"
    folder.mkdir(parents=True)
    text = "CREATE TABLE a (id uuid PRIMARY KEY);\nCREATE TABLE b (id uuid PRIMARY KEY);\n"
    path = folder / "V1__init.sql"
    path.write_text(text)
    result = run("check", "--fix", "--unsafe-fixes", "--preset", "compat", str(tmp_path))
    assert path.read_text() == text
    assert result.exit_code == 1 and "DSQL501" in result.stdout
    assert "move the statement into a migration file of its own" in result.stdout


def test_the_house_rules_begin_commit_wrapping_is_applied_only_with_unsafe_fixes() -> None:
    sql = "INSERT INTO owner (name) VALUES ('John Doe');\n"
    assert fixed(sql, preset="recommended") == sql
    assert fixed(sql, unsafe=True, preset="recommended") == (
        "BEGIN;\nINSERT INTO owner (name) VALUES ('John Doe');\nCOMMIT;\n"
    )


def test_a_suppressed_finding_is_not_fixed() -> None:
    sql = "CREATE INDEX i ON t (a); -- noqa: DSQL301\n"
    assert fixed(sql) == sql


def test_fix_output_in_json_lists_what_remains(tmp_path: Path) -> None:
    path = write(tmp_path, "a.sql", BAD)
    result = run("check", "--fix", "--format", "json", "--preset", "compat", str(path))
    doc = json.loads(result.stdout)
    assert [d["code"] for d in doc["diagnostics"]] == ["DSQL302"]
    assert doc["diagnostics"][0]["fix"]["applicability"] == "unsafe"


def test_the_dsql_lint_fix_hook_fixes_files_through_real_pre_commit(
    tmp_path: Path,
    precommit_env: dict[str, str],  # noqa: F811 (the fixture imported from tests.test_precommit)
) -> None:
    repo = _repo_with(tmp_path, "V1__index.sql", "-- users by email\nCREATE INDEX users_email ON users (email ASC);\n")
    command = [
        sys.executable,
        "-m",
        "pre_commit",
        "try-repo",
        str(ROOT),
        "dsql-lint-fix",
        "--files",
        "db/V1__index.sql",
    ]
    done = subprocess.run(command, cwd=repo, env=precommit_env, capture_output=True, text=True, timeout=900)
    _skip_on_install_failure(done)
    assert done.returncode == 1, done.stdout + done.stderr  # pre-commit fails a hook that modified files
    assert "files were modified by this hook" in done.stdout
    fixed_text = (repo / "db" / "V1__index.sql").read_text(encoding="utf-8")
    assert fixed_text == "-- users by email\nCREATE INDEX ASYNC users_email ON users (email);\n"
