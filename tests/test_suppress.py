"""Inline suppressions, per-file ignores, the suppression rules (DSQL003-005) and --add-noqa."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dsql_lint.cli.app import main
from dsql_lint.fix.noqa import apply_edits, plan_noqa
from dsql_lint.frontend.script import build_script
from dsql_lint.model import Diagnostic
from dsql_lint.text.source import Source
from tests.conftest import lint


def compat(sql: str, **settings: object) -> list[Diagnostic]:
    settings.setdefault("preset", "compat")
    return lint(sql, **settings)


def codes_at(sql: str, **settings: object) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in compat(sql, **settings)]


# -- noqa -----------------------------------------------------------------------------------------


def test_noqa_with_the_code_silences_the_finding_on_its_line() -> None:
    assert codes_at("CREATE INDEX i ON t (a); -- noqa: DSQL301\n") == []


def test_noqa_does_not_silence_the_next_line() -> None:
    sql = "CREATE INDEX i ON t (a); -- noqa: DSQL301\nCREATE INDEX j ON t (a);\n"
    assert codes_at(sql) == [("DSQL301", 2)]


def test_noqa_with_another_code_keeps_the_finding_and_is_unused() -> None:
    found = codes_at("CREATE INDEX i ON t (a); -- noqa: DSQL302\n")
    assert ("DSQL301", 1) in found
    assert ("DSQL003", 1) in found


def test_noqa_accepts_a_prefix_and_several_codes() -> None:
    assert codes_at("CREATE INDEX i ON t (a DESC); -- noqa: DSQL3\n") == []
    assert codes_at("CREATE INDEX i ON t (a DESC); -- noqa: DSQL301, DSQL302\n") == []
    assert codes_at("CREATE INDEX i ON t (a DESC); -- noqa:DSQL301 dsql302\n") == []


def test_noqa_reason_after_double_dash_is_allowed() -> None:
    assert codes_at("CREATE INDEX i ON t (a); -- noqa: DSQL301 -- built by hand at night\n") == []


def test_noqa_inside_a_longer_comment_works() -> None:
    assert codes_at("CREATE INDEX i ON t (a); -- users by email -- noqa: DSQL301\n") == []


def test_bare_noqa_silences_everything_on_its_line() -> None:
    assert codes_at("CREATE INDEX i ON t (a DESC); -- noqa\n") == []


def test_bare_noqa_is_reported_only_when_blanket_rule_is_selected() -> None:
    sql = "CREATE INDEX i ON t (a); -- noqa\n"
    assert "DSQL005" not in [c for c, _ in codes_at(sql)]
    found = compat(sql, extend_select=["DSQL005"])
    blanket = [d for d in found if d.code == "DSQL005"]
    assert len(blanket) == 1 and (blanket[0].column, blanket[0].end_column) == (29, 33)


def test_unused_bare_noqa_is_reported() -> None:
    assert codes_at("CREATE INDEX ASYNC i ON t (a); -- noqa\n") == [("DSQL003", 1)]


def test_noqa_inside_a_string_is_not_a_suppression() -> None:
    sql = "CREATE INDEX i ON t (a) WHERE b = '-- noqa: DSQL301';\n"
    assert ("DSQL301", 1) in codes_at(sql)


def test_foreign_noqa_codes_are_left_alone() -> None:
    sql = "CREATE INDEX ASYNC i ON t (a); -- noqa: LT01, CP02\n"
    assert codes_at(sql) == []


def test_unused_suppression_points_at_the_code_and_can_be_fixed() -> None:
    sql = "CREATE INDEX ASYNC i ON t (a); -- noqa: DSQL301\n"
    (d,) = compat(sql)
    assert d.code == "DSQL003"
    assert sql[d.start : d.end] == "DSQL301"
    assert d.fix is not None
    assert apply_edits(sql, d.fix.edits) == "CREATE INDEX ASYNC i ON t (a);\n"


def test_unused_code_among_several_is_removed_alone() -> None:
    sql = "CREATE INDEX i ON t (a); -- noqa: DSQL301, DSQL302\n"
    (d,) = compat(sql)
    assert d.code == "DSQL003" and sql[d.start : d.end] == "DSQL302"
    assert d.fix is not None
    assert apply_edits(sql, d.fix.edits) == "CREATE INDEX i ON t (a); -- noqa: DSQL301\n"


def test_unused_is_not_reported_when_the_named_rule_was_not_selected() -> None:
    sql = "CREATE INDEX ASYNC i ON t (a); -- noqa: DSQL101\n"
    assert codes_at(sql, select=["DSQL3", "DSQL003"]) == []
    assert codes_at(sql, select=["DSQL1", "DSQL003"]) == [("DSQL003", 1)]


def test_unknown_code_is_reported() -> None:
    sql = "CREATE INDEX ASYNC i ON t (a); -- noqa: DSQL399\n"
    found = compat(sql)
    assert [d.code for d in found] == ["DSQL004"]
    assert sql[found[0].start : found[0].end] == "DSQL399"


def test_suppression_findings_can_themselves_be_turned_off() -> None:
    sql = "CREATE INDEX ASYNC i ON t (a); -- noqa: DSQL301\n"
    assert codes_at(sql, ignore=["DSQL003"]) == []


# -- statement and file directives ----------------------------------------------------------------


def test_ignore_directive_covers_the_whole_next_statement() -> None:
    sql = (
        "-- dsql-lint: ignore[DSQL101] -- legacy table, migrated by hand\n"
        "CREATE TABLE t (\n  id serial,\n  other serial\n);\n"
        "CREATE TABLE u (id serial);\n"
    )
    assert codes_at(sql) == [("DSQL101", 6)]


def test_ignore_directive_inside_a_statement_covers_the_next_line() -> None:
    sql = "CREATE TABLE t (\n  -- dsql-lint: ignore[DSQL101]\n  id serial,\n  other serial\n);\n"
    assert codes_at(sql) == [("DSQL101", 4)]


def test_ignore_directive_with_nothing_to_cover_is_unused() -> None:
    sql = "-- dsql-lint: ignore[DSQL301]\nCREATE INDEX ASYNC i ON t (a);\n"
    found = compat(sql)
    assert [(d.code, d.line) for d in found] == [("DSQL003", 1)]
    assert found[0].fix is not None
    assert apply_edits(sql, found[0].fix.edits) == "CREATE INDEX ASYNC i ON t (a);\n"


def test_block_comment_directive_works() -> None:
    assert codes_at("/* dsql-lint: ignore[DSQL301] */\nCREATE INDEX i ON t (a);\n") == []


def test_file_ignore_covers_the_whole_file() -> None:
    sql = (
        "-- dsql-lint: file-ignore[DSQL3]\n"
        "CREATE INDEX i ON t (a);\nCREATE INDEX j ON t (b DESC);\nCREATE TABLE s (id serial);\n"
    )
    assert codes_at(sql) == [("DSQL101", 4)]


def test_malformed_directives_are_reported_and_suppress_nothing() -> None:
    assert codes_at("-- dsql-lint: ignroe[DSQL301]\nCREATE INDEX i ON t (a);\n") == [("DSQL004", 1), ("DSQL301", 2)]
    assert codes_at("-- dsql-lint: ignore DSQL301\nCREATE INDEX i ON t (a);\n") == [("DSQL004", 1), ("DSQL301", 2)]
    assert sorted(codes_at("CREATE INDEX i ON t (a); -- noqa:\n")) == [("DSQL004", 1), ("DSQL301", 1)]


def test_unknown_code_in_a_directive_is_reported_even_with_foreign_letters() -> None:
    sql = "-- dsql-lint: ignore[LT01]\nCREATE INDEX ASYNC i ON t (a);\n"
    assert codes_at(sql) == [("DSQL004", 1)]


def test_transaction_findings_are_covered_by_the_statement_directive() -> None:
    sql = "BEGIN;\nCREATE TABLE a (id int);\n-- dsql-lint: ignore[DSQL501]\nCREATE TABLE b (id int);\nCOMMIT;\n"
    plain = codes_at(sql.replace("-- dsql-lint: ignore[DSQL501]\n", ""))
    assert ("DSQL501", 3) in plain
    assert codes_at(sql) == []


# -- per-file ignores -----------------------------------------------------------------------------


def test_per_file_ignores_match_globs_relative_to_the_root(tmp_path: Path) -> None:
    sql = "CREATE INDEX i ON t (a);\nCREATE TABLE s (id serial);\n"
    legacy = str(tmp_path / "db" / "legacy" / "init.sql")
    other = str(tmp_path / "db" / "more.sql")
    ignores = {"db/legacy/**": ["DSQL3"], "*.down.sql": ["ALL"]}
    assert [d.code for d in compat(sql, path=legacy, per_file_ignores=ignores, root=str(tmp_path))] == ["DSQL101"]
    assert [d.code for d in compat(sql, path=other, per_file_ignores=ignores, root=str(tmp_path))] == [
        "DSQL301",
        "DSQL101",
    ]
    down = str(tmp_path / "1.down.sql")
    assert compat(sql, path=down, per_file_ignores=ignores, root=str(tmp_path)) == []


def test_noqa_for_a_rule_ignored_in_this_file_is_not_unused(tmp_path: Path) -> None:
    sql = "CREATE INDEX ASYNC i ON t (a); -- noqa: DSQL301\n"
    found = compat(sql, path=str(tmp_path / "x.sql"), per_file_ignores={"x.sql": ["DSQL301"]}, root=str(tmp_path))
    assert found == []


# -- --add-noqa -----------------------------------------------------------------------------------


def _add(sql: str) -> str:
    source = Source("t.sql", sql)
    plan = plan_noqa(build_script(source), compat(sql))
    return apply_edits(sql, plan.edits)


def test_add_noqa_appends_codes_at_the_end_of_the_line() -> None:
    assert _add("CREATE INDEX i ON t (a DESC);\n") == "CREATE INDEX i ON t (a DESC);  -- noqa: DSQL301, DSQL302\n"


def test_add_noqa_merges_with_an_existing_noqa_comment() -> None:
    assert (
        _add("CREATE INDEX i ON t (a); -- noqa: LT01 -- why\n")
        == "CREATE INDEX i ON t (a); -- noqa: LT01, DSQL301 -- why\n"
    )


def test_add_noqa_goes_after_a_trailing_comment() -> None:
    assert _add("CREATE INDEX i ON t (a); -- by email\n") == "CREATE INDEX i ON t (a); -- by email  -- noqa: DSQL301\n"


def test_add_noqa_never_writes_inside_a_multiline_string() -> None:
    sql = "  CREATE INDEX i ON t (a) WHERE b = 'x\ny';\n"
    assert _add(sql) == "  -- dsql-lint: ignore[DSQL301]\n  CREATE INDEX i ON t (a) WHERE b = 'x\ny';\n"


def test_add_noqa_extends_an_existing_ignore_directive() -> None:
    sql = "-- dsql-lint: ignore[DSQL302]\nCREATE INDEX i ON t (a DESC) WHERE b = 'x\ny';\n"
    assert _add(sql).startswith("-- dsql-lint: ignore[DSQL302, DSQL301]\n")


def test_add_noqa_cli_is_idempotent_and_silences_everything(tmp_path: Path) -> None:
    target = tmp_path / "V1__init.sql"
    original = (
        "CREATE INDEX i ON t (a);\r\n"
        "CREATE TABLE s (id serial, tags text[]);\r\n"
        "CREATE FUNCTION f() RETURNS int AS $$\r\n SELECT 1 $$ LANGUAGE sql; CREATE INDEX j ON t (b DESC)\r\n"
        "  WHERE c = 'multi\r\nline';\r\n"
    )
    target.write_bytes(original.encode("utf-8"))
    runner = CliRunner()
    first = runner.invoke(main, ["check", "--add-noqa", str(target)])
    assert first.exit_code == 0, first.output
    assert "Added" in first.output
    changed = target.read_bytes().decode("utf-8")
    assert changed != original and "\r\n" in changed and "\n" not in changed.replace("\r\n", "")
    after = runner.invoke(main, ["check", str(target)])
    assert after.exit_code == 0, after.output
    second = runner.invoke(main, ["check", "--add-noqa", str(target)])
    assert "Added 0 noqa directives" in second.output
    assert target.read_bytes().decode("utf-8") == changed


def test_folder_rule_findings_are_suppressed_by_noqa_without_a_false_unused() -> None:
    sql = "BEGIN;\nDELETE FROM t;\nCOMMIT;\n"
    assert "DSQL825" in [d.code for d in lint(sql, preset="all")]
    for comment in ("-- noqa: DSQL825", "-- noqa: DSQL8"):
        found = [d.code for d in lint(sql.replace("DELETE FROM t;", f"DELETE FROM t; {comment}"), preset="all")]
        assert "DSQL825" not in found and "DSQL003" not in found, found


def test_readme_suppression_example_is_silent() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Suppressing findings", 1)[1]
    example = section.split("```sql\n", 1)[1].split("```", 1)[0]
    assert "noqa: DSQL101" in example and "ignore[DSQL301]" in example
    assert lint(example, preset="recommended") == []


def test_findings_added_after_the_rule_pass_can_be_filtered() -> None:
    from dsql_lint.config.settings import Settings
    from dsql_lint.lint.suppress import filter_suppressed
    from dsql_lint.rules.engine.parse_error import ParseError

    source = Source("x.sql", "SELECT 1; -- noqa: DSQL001\nSELECT 2;\n")
    late = [ParseError().report(source, 0, 6, message="late"), ParseError().report(source, 27, 33, message="late")]
    kept = filter_suppressed(source, late, Settings())
    assert [d.line for d in kept] == [2]


@given(st.text(alphabet=st.sampled_from(list("noqaNOQAdsql-int: \n\u017f\u0131K")), max_size=40))
def test_the_directive_prefilter_agrees_with_the_directive_pattern(text: str) -> None:
    from dsql_lint.lint.suppress import _ANY_DIRECTIVE, has_directive

    assert has_directive(text) is (_ANY_DIRECTIVE.search(text) is not None)


# -- disable / enable ranges ----------------------------------------------------------------------

RANGE = (
    "CREATE INDEX before_it ON t (a);\n"
    "-- dsql-lint: disable[DSQL301] -- legacy block, rebuilt by hand\n"
    "CREATE INDEX inside_one ON t (a);\n"
    "CREATE INDEX inside_two\n  ON t (a);\n"
    "-- dsql-lint: enable[DSQL301]\n"
    "CREATE INDEX after_it ON t (a);\n"
)


def test_disable_silences_the_findings_between_it_and_its_enable() -> None:
    assert codes_at(RANGE) == [("DSQL301", 1), ("DSQL301", 7)]


def test_disable_without_enable_runs_to_the_end_of_the_file() -> None:
    sql = RANGE.replace("-- dsql-lint: enable[DSQL301]\n", "")
    assert codes_at(sql) == [("DSQL301", 1)]


def test_disable_leaves_other_codes_alone() -> None:
    sql = "-- dsql-lint: disable[DSQL302]\nCREATE INDEX i ON t (a DESC);\n-- dsql-lint: enable[DSQL302]\n"
    assert codes_at(sql) == [("DSQL301", 2)]


def test_codes_of_one_disable_can_be_enabled_one_at_a_time() -> None:
    sql = (
        "/* dsql-lint: disable[DSQL301, DSQL302] */\n"
        "CREATE INDEX i ON t (a DESC);\n"
        "-- dsql-lint: enable[DSQL302]\n"
        "CREATE INDEX j ON t (a DESC);\n"
        "-- dsql-lint: enable[dsql301]\n"
        "CREATE INDEX k ON t (a DESC);\n"
    )
    assert codes_at(sql) == [("DSQL302", 4), ("DSQL301", 6), ("DSQL302", 6)]


def test_a_prefix_disables_a_family() -> None:
    sql = (
        "-- dsql-lint: disable[DSQL3]\nCREATE INDEX i ON t (a DESC);\n"
        "-- dsql-lint: enable[DSQL3]\nCREATE INDEX j ON t (a);\n"
    )
    assert codes_at(sql) == [("DSQL301", 4)]


def test_enable_that_closes_nothing_is_invalid() -> None:
    sql = "-- dsql-lint: enable[DSQL301]\nCREATE INDEX ASYNC i ON t (a);\n"
    (d,) = compat(sql)
    assert d.code == "DSQL004" and sql[d.start : d.end] == "DSQL301"
    assert "closes nothing" in d.message


def test_enable_must_name_the_code_as_its_disable_wrote_it() -> None:
    sql = "-- dsql-lint: disable[DSQL3]\nCREATE INDEX i ON t (a);\n-- dsql-lint: enable[DSQL301]\n"
    found = compat(sql)
    assert [(d.code, d.line) for d in found] == [("DSQL004", 3)]
    assert "DSQL3 is open" in found[0].message


def test_unused_disable_is_reported_and_its_fix_removes_it_from_both_comments() -> None:
    sql = (
        "-- dsql-lint: disable[DSQL301, DSQL302]\n"
        "CREATE INDEX ASYNC i ON t (a DESC);\n"
        "-- dsql-lint: enable[DSQL301, DSQL302]\n"
        "SELECT 1;\n"
    )
    (d,) = compat(sql)
    assert d.code == "DSQL003" and d.line == 1 and sql[d.start : d.end] == "DSQL301"
    assert "up to its `enable[DSQL301]`" in d.message
    assert d.fix is not None
    fixed = apply_edits(sql, list(d.fix.edits))
    assert fixed == (
        "-- dsql-lint: disable[DSQL302]\n"
        "CREATE INDEX ASYNC i ON t (a DESC);\n"
        "-- dsql-lint: enable[DSQL302]\n"
        "SELECT 1;\n"
    )
    assert compat(fixed) == []


def test_fix_of_a_lone_unused_disable_removes_both_comment_lines(tmp_path: Path) -> None:
    target = tmp_path / "V1__init.sql"
    target.write_text(
        "-- dsql-lint: disable[DSQL301]\nCREATE INDEX ASYNC i ON t (a); -- keep me\n-- dsql-lint: enable[DSQL301]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", "--fix", "--preset", "compat", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == "CREATE INDEX ASYNC i ON t (a); -- keep me\n"


def test_an_enable_closing_two_disables_stays_when_one_of_them_is_unused() -> None:
    sql = (
        "-- dsql-lint: disable[DSQL301]\n"
        "CREATE INDEX i ON t (a);\n"
        "-- dsql-lint: disable[DSQL301]\n"
        "-- dsql-lint: enable[DSQL301]\n"
    )
    (d,) = compat(sql)  # the second disable opens after the finding: unused, but its enable closes the first too
    assert d.code == "DSQL003" and d.line == 3
    assert d.fix is not None
    assert apply_edits(sql, list(d.fix.edits)) == (
        "-- dsql-lint: disable[DSQL301]\nCREATE INDEX i ON t (a);\n-- dsql-lint: enable[DSQL301]\n"
    )
    sql = (
        "-- dsql-lint: disable[DSQL301]\n"
        "CREATE INDEX i ON t (a);\n"
        "CREATE INDEX ASYNC j ON t (a);\n"
        "-- dsql-lint: disable[DSQL302]\n"
        "-- dsql-lint: enable[DSQL301]\n"
        "-- dsql-lint: enable[DSQL302]\n"
    )
    (d,) = compat(sql)
    assert d.code == "DSQL003" and d.line == 4
    assert d.fix is not None
    assert apply_edits(sql, list(d.fix.edits)) == (
        "-- dsql-lint: disable[DSQL301]\n"
        "CREATE INDEX i ON t (a);\n"
        "CREATE INDEX ASYNC j ON t (a);\n"
        "-- dsql-lint: enable[DSQL301]\n"
    )


def test_folder_rule_findings_are_suppressed_by_a_range() -> None:
    sql = "BEGIN;\n-- dsql-lint: disable[DSQL825]\nDELETE FROM t;\n-- dsql-lint: enable[DSQL825]\nCOMMIT;\n"
    found = [d.code for d in lint(sql, preset="all")]
    assert "DSQL825" not in found and "DSQL003" not in found and "DSQL004" not in found, found
    assert "DSQL825" in [d.code for d in lint(sql.replace("disable", "disabled"), preset="all")]


def test_readme_range_example_is_silent() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("A range keeps a section", 1)[1]
    example = section.split("```sql\n", 1)[1].split("```", 1)[0]
    assert "disable[DSQL301, DSQL302]" in example and "enable[DSQL301, DSQL302]" in example
    assert compat(example) == []
    assert [d.code for d in compat(example.replace("-- dsql-lint: disable", "-- disable"))].count("DSQL301") == 2


_RANGE_LINES = [
    "CREATE INDEX i ON t (a);",
    "CREATE INDEX ASYNC j ON t (a DESC);",
    "CREATE INDEX ASYNC k ON t (a);",
    "-- dsql-lint: disable[DSQL301]",
    "-- dsql-lint: disable[DSQL302]",
    "-- dsql-lint: disable[DSQL301, DSQL302]",
    "-- dsql-lint: disable[DSQL3]",
    "-- dsql-lint: enable[DSQL301]",
    "-- dsql-lint: enable[DSQL302]",
    "-- dsql-lint: enable[DSQL301, DSQL302]",
    "-- dsql-lint: enable[DSQL3]",
]


@given(st.lists(st.sampled_from(_RANGE_LINES), min_size=1, max_size=9))
def test_fixing_unused_ranges_keeps_what_they_silence_and_orphans_no_enable(lines: list[str]) -> None:
    from dsql_lint.config.settings import Settings
    from dsql_lint.fix.apply import analyser, fix_source
    from dsql_lint.lint.engine import Linter

    linter = Linter(Settings(select=["DSQL003", "DSQL004", "DSQL301", "DSQL302"]))
    plain = analyser(linter)

    def only_suppression_fixes(source: Source) -> tuple[list[Diagnostic], int]:
        found, failures = plain(source)
        for d in found:
            if d.code not in ("DSQL003", "DSQL004"):
                d.fix = None  # the index fixes would change what is left to silence
        return found, failures

    text = "\n".join(lines) + "\n"
    before = linter.lint_source(Source("x.sql", text))[1]
    outcome = fix_source(Source("x.sql", text), only_suppression_fixes)
    after = outcome.remaining

    def count(found: list[Diagnostic], code: str) -> int:
        return sum(1 for d in found if d.code == code)

    assert not outcome.stopped_early
    assert count(after, "DSQL301") == count(before, "DSQL301")
    assert count(after, "DSQL302") == count(before, "DSQL302")
    assert count(after, "DSQL004") <= count(before, "DSQL004"), outcome.source.text
    assert not [d for d in after if d.code == "DSQL003" and d.fix is not None], outcome.source.text
