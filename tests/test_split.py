"""Statement splitting: exact spans, psql rules for ';', BEGIN ATOMIC, meta-commands."""

from __future__ import annotations

from dsql_lint.frontend.script import build_script
from dsql_lint.frontend.split import split
from dsql_lint.model import Kind
from dsql_lint.text.source import Source


def texts(sql: str) -> list[str]:
    return [s.text for s in split(Source("t.sql", sql))]


def test_semicolons_in_strings_comments_identifiers_and_bodies_do_not_split() -> None:
    sql = (
        "INSERT INTO t VALUES ('a;b', E'c\\';d');\n"
        'SELECT 1 AS "x;y"; -- trailing; comment\n'
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$;\n"
        "/* a; /* nested; */ b; */ SELECT 2"
    )
    assert texts(sql) == [
        "INSERT INTO t VALUES ('a;b', E'c\\';d');",
        'SELECT 1 AS "x;y";',
        "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1; $fn$;",
        "SELECT 2",
    ]


def test_begin_atomic_body_with_case_end_is_one_statement() -> None:
    sql = (
        "CREATE FUNCTION f(x int) RETURNS bool LANGUAGE sql\nBEGIN ATOMIC\n"
        "SELECT CASE WHEN x > 0 THEN true ELSE false END;\nSELECT 1;\nEND;\nSELECT 3;"
    )
    got = texts(sql)
    assert len(got) == 2 and got[0].endswith("END;") and got[1] == "SELECT 3;"


def test_semicolon_inside_parentheses_does_not_end_a_statement() -> None:
    sql = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));\nSELECT 1;"
    assert len(texts(sql)) == 2


def test_spans_are_exact_character_and_byte_offsets() -> None:
    source = Source("t.sql", "-- é\nSELECT 'ü';\n  DROP TABLE x;")
    first, second = split(source)
    assert source.text[first.start : first.end] == "SELECT 'ü';"
    assert first.byte_span == (len("-- é\n".encode()), len("-- é\nSELECT 'ü';".encode()))
    assert second.line == 3 and second.text == "DROP TABLE x;"


def test_leading_comments_attach_to_the_next_statement() -> None:
    first, second = split(Source("t.sql", "-- one\nSELECT 1;\n/* two */\n-- three\nSELECT 2;"))
    assert [c.text for c in first.leading_comments] == ["-- one"]
    assert [c.text for c in second.leading_comments] == ["/* two */", "-- three"]


def test_psql_meta_commands_are_their_own_statements_and_never_parsed() -> None:
    script = build_script(Source("t.sql", "\\connect app\nCREATE TABLE t (a int);\n\\i other.sql\n"))
    kinds = [s.kind for s in script.statements]
    assert kinds == [Kind.PSQL_META, Kind.DDL, Kind.PSQL_META]
    assert script.statements[0].ast is None and script.statements[0].parse_failure is None


def test_backslash_followed_by_whitespace_is_a_meta_line_not_a_crash() -> None:
    stmts = split(Source("t.sql", "\\ \nSELECT 1;\n\\\n\\set x 1\n"))
    assert [(s.kind, s.tag) for s in stmts] == [
        (Kind.PSQL_META, "\\"),
        (Kind.UNKNOWN, ""),
        (Kind.PSQL_META, "\\"),
        (Kind.PSQL_META, "\\set"),
    ]


def test_last_statement_without_semicolon_and_empty_statements() -> None:
    assert texts(";;\nSELECT 1;;\n SELECT 2 \n") == ["SELECT 1;", "SELECT 2"]
