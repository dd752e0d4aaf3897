"""DSQL203 unlogged-table: DSQL has no unlogged tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import delete_token, fix
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import modifier_indexes, object_name, tag_end


class UnloggedTable(StatementRule):
    """Flags CREATE UNLOGGED TABLE."""

    code: ClassVar[str] = "DSQL203"
    name: ClassVar[str] = "unlogged-table"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Unlogged tables are not supported by DSQL"
    help: ClassVar[str] = "remove UNLOGGED: every DSQL table is durable and replicated"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The flagged modifier.
    words: ClassVar[frozenset[str] | None] = frozenset({"UNLOGGED"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "CREATE TABLE":
            return
        for i in modifier_indexes(stmt):
            tok = stmt.tokens[i]
            if not tok.is_word("UNLOGGED"):
                continue
            yield self.report(
                stmt,
                tok,
                message=f"table `{object_name(stmt, tag_end(stmt))}` is declared UNLOGGED; DSQL answers "
                "`UNLOGGED table not supported for CREATE TABLE`",
                fix=fix("Remove UNLOGGED", FixSafety.UNSAFE, delete_token(stmt.source, tok)),
            )
