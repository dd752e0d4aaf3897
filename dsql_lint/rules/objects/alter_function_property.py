"""DSQL213 alter-function-property: ALTER FUNCTION may only rename, change owner or schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import PUNCT, name_text, qualified_name_end
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import tag_end


def _accepted_action(stmt: Statement, i: int) -> bool:
    tokens = stmt.tokens
    if tokens[i].is_word("RENAME", "OWNER", "DEPENDS"):
        return True
    if tokens[i].is_word("NO") and i + 1 < len(tokens) and tokens[i + 1].is_word("DEPENDS"):
        return True
    return tokens[i].is_word("SET") and i + 1 < len(tokens) and tokens[i + 1].is_word("SCHEMA")


class AlterFunctionProperty(StatementRule):
    """Flags ALTER FUNCTION that changes a property (IMMUTABLE, STRICT, COST, SET parameter, SECURITY ...).

    RENAME TO, OWNER TO, SET SCHEMA and [NO] DEPENDS ON EXTENSION are accepted.
    """

    code: ClassVar[str] = "DSQL213"
    name: ClassVar[str] = "alter-function-property"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER FUNCTION cannot change a function's properties in DSQL"
    help: ClassVar[str] = (
        "use CREATE OR REPLACE FUNCTION with the new properties; ALTER FUNCTION only supports RENAME TO, "
        "OWNER TO and SET SCHEMA"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER FUNCTION"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "ALTER FUNCTION":
            return
        tokens = stmt.tokens
        j = tag_end(stmt) + 1
        if j <= 0 or j >= len(tokens):
            return
        if stmt.find("IF", "EXISTS", start=j, stop=j + 2) == j:
            j += 2
        name_stop = qualified_name_end(stmt, j)
        name = name_text(stmt, j, name_stop)
        k = name_stop
        if k < len(tokens) and tokens[k].kind is PUNCT and tokens[k].text == "(":
            k = stmt.closing(k) + 1
        if k >= len(tokens) or _accepted_action(stmt, k):
            return
        yield self.report(
            stmt,
            tokens[k],
            tokens[-1],
            message=f"ALTER FUNCTION `{name}` changes a property ({tokens[k].text} ...); DSQL only accepts "
            "RENAME TO, OWNER TO and SET SCHEMA",
        )
