"""DSQL210 non-sql-function: DSQL functions must be written in LANGUAGE sql."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import STRING, WORD
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import object_name, tag_end
from dsql_lint.text.lexer import Token

TRIGGER_RETURN_TYPES = ("TRIGGER", "EVENT_TRIGGER")


def language_name(tok: Token) -> str:
    """The language a LANGUAGE clause names: ``plpgsql``, ``'plpgsql'`` and ``"plpgsql"`` all give plpgsql."""
    if tok.kind is STRING and tok.text.startswith("'"):
        return tok.text[1:-1].replace("''", "'").lower()
    return tok.identifier.lower() if tok.kind is WORD else tok.identifier


def sql_body_start(stmt: Statement) -> int:
    """Index where a ``BEGIN ATOMIC ... END`` or ``RETURN expr`` body starts (it is always last), else the end."""
    tokens = stmt.tokens
    words = stmt.words  # a word's upper-cased text; another token's text (a quoted one keeps its quotes)
    depths = stmt.depths
    n = len(tokens)
    for i, word in enumerate(words):
        if word != "RETURN" and word != "BEGIN":
            continue
        if depths[i] != 0 or tokens[i].kind is not WORD:
            continue
        if word == "RETURN" or (i + 1 < n and words[i + 1] == "ATOMIC" and tokens[i + 1].kind is WORD):
            return i
    return n


class NonSqlFunction(StatementRule):
    """Flags CREATE FUNCTION in a language other than SQL, and trigger functions.

    The LANGUAGE clause may come before or after the body. A function without a
    LANGUAGE clause but with a ``BEGIN ATOMIC`` or ``RETURN`` body is SQL.
    """

    code: ClassVar[str] = "DSQL210"
    name: ClassVar[str] = "non-sql-function"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Functions must be LANGUAGE sql in DSQL (no PL/pgSQL, C or trigger functions)"
    help: ClassVar[str] = (
        "rewrite the function in LANGUAGE sql (a single query, or BEGIN ATOMIC ... END), or move the logic "
        "into the application"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE FUNCTION"})
    #: Each finding is a LANGUAGE or RETURNS clause.
    words: ClassVar[frozenset[str] | None] = frozenset({"LANGUAGE", "RETURNS"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "CREATE FUNCTION":
            return
        tokens = stmt.tokens
        name = object_name(stmt, tag_end(stmt))
        body = sql_body_start(stmt)
        lang = stmt.find("LANGUAGE", stop=body, depth=0)
        if lang != -1 and lang + 1 < len(tokens):
            value = tokens[lang + 1]
            language = language_name(value)
            if language != "sql":
                yield self.report(
                    stmt,
                    tokens[lang],
                    value,
                    message=f"function `{name}` is written in {language}; DSQL answers "
                    f"`CREATE FUNCTION with language {language} not supported`",
                )
                return
        returns = stmt.find("RETURNS", stop=body, depth=0)
        if returns != -1 and returns + 1 < len(tokens) and tokens[returns + 1].is_word(*TRIGGER_RETURN_TYPES):
            yield self.report(
                stmt,
                tokens[returns],
                tokens[returns + 1],
                message=f"function `{name}` returns {tokens[returns + 1].text}: DSQL has no triggers, so "
                "trigger functions cannot be used",
                help="move the trigger's logic into the application or into the statements that change the table",
            )
