"""Property tests: no input makes the linter crash, and spans always slice the source exactly.

Inputs are drawn from SQL fragments (keywords, quotes, dollar quotes, comments, parentheses,
psql meta-commands, COPY data, non-ASCII text) glued together at random, so the lexer,
splitter, dialect and every rule see truncated, unbalanced and nonsensical statements.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.frontend.split import split
from dsql_lint.text.lexer import tokenize
from dsql_lint.text.source import Source
from tests.conftest import lint

FRAGMENTS = [
    "CREATE",
    "TABLE",
    "INDEX",
    "ASYNC",
    "UNIQUE",
    "ON",
    "t",
    "(",
    ")",
    ",",
    ";",
    "a",
    "int",
    "serial",
    "DESC",
    "ASC",
    "NULLS",
    "FIRST",
    "BEGIN",
    "COMMIT",
    "END",
    "ATOMIC",
    "CASE",
    "ALTER",
    "ADD",
    "COLUMN",
    "DEFAULT",
    "NOT",
    "NULL",
    "VALID",
    "CONSTRAINT",
    "CHECK",
    "REFERENCES",
    "INSERT",
    "INTO",
    "VALUES",
    "SELECT",
    "FROM",
    "WHERE",
    "FOR",
    "SHARE",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "COPY",
    "STDIN",
    "\\.",
    "GENERATED",
    "ALWAYS",
    "AS",
    "IDENTITY",
    "CACHE",
    "1",
    "-1",
    "65536",
    "[]",
    "ARRAY",
    "COLLATE",
    "'",
    "''",
    "E'",
    "\\'",
    '"',
    '"desc"',
    "$$",
    "$f$",
    "$1",
    "--",
    "/*",
    "*/",
    "\n",
    " ",
    "\t",
    "\\set x 1\n",
    "# c\n",
    "é",
    "ß",
    "`",
    "::",
    "=",
    "<>",
    "+",
    "-",
    "*",
    "/",
    "%",
    "COPY t FROM stdin;\n",
    "USING",
    "btree",
    "gin",
    "WITH",
    "(fillfactor=70)",
    "TABLESPACE",
    "PARTITION",
    "BY",
    "RANGE",
    "LANGUAGE",
    "plpgsql",
    "sql",
    "FUNCTION",
    "RETURNS",
    "TRIGGER",
    "SAVEPOINT",
    "ROLLBACK",
    "TO",
    "ISOLATION",
    "LEVEL",
    "SERIALIZABLE",
    "GRANT",
    "DATABASE",
    "-- noqa: DSQL301",
    "-- dsql-lint: ignore[DSQL3]",
]

sql_text = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join) | st.text(max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sql_text)
def test_tokens_and_statements_slice_the_source_exactly(text: str) -> None:
    source = Source("p.sql", text)
    for tok in tokenize(source.text):
        assert source.text[tok.start : tok.end] == tok.text
    previous_end = 0
    for stmt in split(source):
        assert stmt.start >= previous_end and stmt.end <= len(source.text)
        assert stmt.text == source.text[stmt.start : stmt.end]
        previous_end = stmt.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sql_text)
def test_no_input_crashes_any_rule(text: str) -> None:
    found = lint(text, preset="all")
    crashes = [d.message for d in found if d.code == "DSQL000"]
    assert not crashes, crashes
    for d in found:
        assert 1 <= d.line <= d.end_line and d.column >= 1 and d.end_column >= 1
        assert (d.line, d.column) <= (d.end_line, d.end_column)
