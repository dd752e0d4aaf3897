"""DSQL305 index-qualified-name: the name in CREATE INDEX cannot carry a schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import create_index, name_text
from dsql_lint.model import Diagnostic, Edit, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class IndexQualifiedName(StatementRule):
    """Flags ``CREATE INDEX ASYNC public.x ON ...``: an index always lives in its table's schema."""

    code: ClassVar[str] = "DSQL305"
    name: ClassVar[str] = "index-qualified-name"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE INDEX cannot name the index with a schema prefix"
    help: ClassVar[str] = (
        "write the index name without a schema; the index is created in the schema of its table, "
        "so qualify the table after ON instead"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})
    #: A qualified name has a "." (only a punctuation token is ".").
    words: ClassVar[frozenset[str] | None] = frozenset({"."})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None or index.name_start == -1 or index.name_stop - index.name_start < 3:
            return
        tokens = stmt.tokens
        dots = [i for i in range(index.name_start, index.name_stop) if tokens[i].text == "."]
        if not dots:
            return
        last_dot = dots[-1]
        schema = name_text(stmt, index.name_start, last_dot)
        yield self.report(
            stmt,
            tokens[index.name_start],
            tokens[index.name_stop - 1],
            message=f"index name `{index.name}` is schema-qualified; DSQL (like PostgreSQL) rejects a schema "
            "on the index name with a syntax error",
            fix=fix(
                f"Remove the schema `{schema}.` from the index name",
                FixSafety.UNSAFE,
                Edit(tokens[index.name_start].start, tokens[last_dot].end, ""),
            ),
        )
