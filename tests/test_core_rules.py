"""Hard cases and exact positions for the six core rules."""

from __future__ import annotations

from tests.conftest import codes, lint


def only(sql: str, code: str):  # type: ignore[no-untyped-def]
    found = [d for d in lint(sql, preset="compat") if d.code == code]
    assert len(found) == 1, found
    return found[0]


def test_serial_points_at_the_type_token() -> None:
    d = only("CREATE TABLE t (\n  id   BigSerial PRIMARY KEY\n);", "DSQL101")
    assert (d.line, d.column, d.end_line, d.end_column) == (2, 8, 2, 17)
    assert "BigSerial" in d.message and d.severity.value == "error"


def test_serial_in_add_column_and_quoted_type() -> None:
    assert codes('ALTER TABLE t ADD COLUMN n "serial";', preset="compat") == ["DSQL101"]
    assert codes("ALTER TABLE t ADD n serial4, ADD m int;", preset="compat") == ["DSQL101"]


def test_serial_words_elsewhere_are_not_findings() -> None:
    sql = (
        "CREATE TABLE t (serial text, note text DEFAULT 'serial', \"bigserial\" int);\n"
        "-- id serial\n/* bigserial */\n"
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 'serial'::text $$;\n"
        "SELECT serial FROM t;"
    )
    assert "DSQL101" not in codes(sql, preset="compat")


def test_trigger_spans_create_to_trigger_keyword() -> None:
    d = only("CREATE OR REPLACE CONSTRAINT TRIGGER trg AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();", "DSQL201")
    assert (d.column, d.end_column) == (1, 37)
    assert "`trg`" in d.message


def test_trigger_words_in_strings_and_drop_trigger_are_not_findings() -> None:
    sql = "SELECT 'CREATE TRIGGER x';\nDROP TRIGGER IF EXISTS x ON t;\nCOMMENT ON TRIGGER x ON t IS 'CREATE TRIGGER';"
    assert "DSQL201" not in codes(sql, preset="compat")


def test_index_without_async_points_at_index_keyword() -> None:
    d = only("create unique index users_email on users (email);", "DSQL301")
    assert (d.column, d.end_column) == (15, 20)
    assert "users_email" in d.message


def test_concurrently_points_at_concurrently() -> None:
    d = only("CREATE INDEX CONCURRENTLY i ON t (a);", "DSQL301")
    assert (d.column, d.end_column) == (14, 26)
    assert "CONCURRENTLY" in d.message


def test_sort_order_points_at_desc_not_at_quoted_desc_column() -> None:
    d = only('CREATE INDEX ASYNC i ON t ("desc", created_at DESC NULLS LAST);', "DSQL302")
    assert (d.column, d.end_column) == (47, 51)


def test_sort_order_after_expression_key() -> None:
    d = only("CREATE INDEX ASYNC i ON t ((lower(email)) ASC);", "DSQL302")
    assert d.column == 43


def test_nulls_order_alone_order_by_and_bodies_are_not_sort_order_findings() -> None:
    sql = (
        "CREATE INDEX ASYNC i ON t (a NULLS FIRST, b NULLS LAST);\n"
        "SELECT * FROM t ORDER BY a DESC;\n"
        "CREATE VIEW v AS SELECT * FROM t ORDER BY a DESC;\n"
        "CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ CREATE INDEX i ON t (a DESC) $$;"
    )
    assert "DSQL302" not in codes(sql, preset="compat")
    assert "DSQL301" not in codes(sql, preset="compat")


def test_multiple_ddl_flags_each_extra_ddl_at_its_first_token() -> None:
    sql = "BEGIN;\nCREATE TABLE a (x int);\n  CREATE TABLE b (x int);\nDROP TABLE c;\nCOMMIT;"
    found = [d for d in lint(sql, preset="compat") if d.code == "DSQL501"]
    assert [(d.line, d.column, d.end_column) for d in found] == [(3, 3, 9), (4, 1, 5)]
    assert "line 2" in found[0].message and "BEGIN on line 1" in found[0].message


def test_mixed_ddl_dml_in_either_order_reported_once() -> None:
    ddl_first = "BEGIN; CREATE TABLE a (x int); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2); COMMIT;"
    dml_first = "BEGIN; UPDATE a SET x = 1 WHERE x = 2; ALTER TABLE a DROP COLUMN y; COMMIT;"
    assert codes(ddl_first, preset="compat").count("DSQL502") == 1
    assert codes(dml_first, preset="compat").count("DSQL502") == 1


def test_data_modifying_cte_counts_as_dml() -> None:
    sql = "BEGIN; CREATE TABLE a (x int); WITH d AS (DELETE FROM b RETURNING x) SELECT * FROM d; COMMIT;"
    assert "DSQL502" in codes(sql, preset="compat")


def test_transaction_rules_ignore_autocommit_statements() -> None:
    sql = "CREATE TABLE a (x int); INSERT INTO a VALUES (1); CREATE TABLE b (x int);"
    assert not {"DSQL501", "DSQL502"} & set(codes(sql, preset="compat"))


def test_unparseable_statement_is_reported_and_the_rest_still_linted() -> None:
    found = lint("CREATE TABLE (a int);\nCREATE INDEX i ON t (a);", preset="compat")
    assert [d.code for d in found] == ["DSQL001", "DSQL301"]
    assert found[0].line == 1 and found[0].column == 14


def test_unterminated_dollar_quote_is_a_parse_error_at_its_start() -> None:
    found = lint("CREATE INDEX i ON t (a);\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1;\n", preset="compat")
    assert [d.code for d in found] == ["DSQL301", "DSQL001"]
    assert (found[1].line, found[1].column) == (2, 36) and "unterminated dollar-quoted" in found[1].message


def test_a_crashing_rule_becomes_dsql000_not_a_traceback() -> None:
    from dsql_lint.config.settings import Settings
    from dsql_lint.lint.engine import Linter
    from dsql_lint.model import Severity
    from dsql_lint.rules.api import StatementRule
    from dsql_lint.text.source import Source

    class Boom(StatementRule):
        code = "TEST001"
        name = "boom"
        severity = Severity.ERROR
        summary = "always crashes"

        def check(self, stmt, ctx):  # type: ignore[no-untyped-def]
            raise ValueError("kaput")

    linter = Linter(Settings(), rules=[Boom()])
    _, found = linter.lint_source(Source("t.sql", "SELECT 1;\nSELECT 2;"))
    assert [d.code for d in found] == ["DSQL000", "DSQL000"]
    assert "TEST001" in found[0].message and "kaput" in found[0].message


def test_copy_data_without_terminator_is_reported_at_the_copy() -> None:
    sql = "SELECT 1;\nCOPY t (a) FROM stdin;\n1\n2\nCREATE INDEX i ON t (a);\n"
    found = lint(sql, preset="compat")
    assert [d.code for d in found] == ["DSQL002"]
    assert (found[0].line, found[0].column) == (2, 1)
    assert "3 lines" in found[0].message and "1 of which look like SQL" in found[0].message


def test_terminated_copy_data_is_fine_and_sql_after_it_is_linted() -> None:
    sql = "COPY t (a) FROM stdin;\n1\n\\.\nCREATE INDEX i ON t (a);\n"
    assert codes(sql, preset="compat") == ["DSQL301"]
