"""DSQL310 index-include-expression: INCLUDE (...) takes columns only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import PUNCT, closing, create_index, is_name
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class IndexIncludeExpression(StatementRule):
    """Flags an expression (anything but a column name) in a CREATE INDEX's ``INCLUDE (...)`` list."""

    code: ClassVar[str] = "DSQL310"
    name: ClassVar[str] = "index-include-expression"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "INCLUDE (...) of an index takes column names, not expressions"
    help: ClassVar[str] = "include the column itself, or make the expression a key of the index"

    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})
    words: ClassVar[frozenset[str] | None] = frozenset({"INCLUDE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None or index.close_paren < 0:
            return
        tokens = stmt.tokens
        at = stmt.find("INCLUDE", start=index.close_paren + 1, depth=0)
        if at == -1 or at + 1 >= len(tokens) or tokens[at + 1].kind is not PUNCT or tokens[at + 1].text != "(":
            return
        end = closing(stmt, at + 1)
        start = at + 2
        while start < end:
            stop = start
            depth = 0
            while stop < end:
                tok = tokens[stop]
                if tok.kind is PUNCT and tok.text in "([":
                    depth += 1
                elif tok.kind is PUNCT and tok.text in ")]":
                    depth -= 1
                elif depth == 0 and tok.kind is PUNCT and tok.text == ",":
                    break
                stop += 1
            if stop > start and not (stop - start == 1 and is_name(tokens[start])):
                yield self.report(
                    stmt,
                    tokens[start],
                    tokens[stop - 1],
                    message="an expression in INCLUDE (...) is not supported: PostgreSQL answers "
                    "`expressions are not supported in included columns`",
                )
            start = stop + 1
