"""DSQL301 index-without-async: DSQL builds indexes only asynchronously."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix, insert_after, replace_token
from dsql_lint.frontend.syntax import create_index
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class IndexWithoutAsync(StatementRule):
    """Flags CREATE [UNIQUE] INDEX without ASYNC, including CREATE INDEX CONCURRENTLY."""

    code: ClassVar[str] = "DSQL301"
    name: ClassVar[str] = "index-without-async"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE INDEX must say ASYNC; DSQL refuses synchronous and CONCURRENTLY builds"
    help: ClassVar[str] = (
        "write CREATE INDEX ASYNC; the statement returns a job_id, and the index is usable once "
        "`CALL sys.wait_for_job('<job_id>')` returns true"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None or index.async_index != -1:
            return
        if index.concurrently_index != -1:
            tok = stmt.tokens[index.concurrently_index]
            yield self.report(
                stmt,
                tok,
                message=f"index `{index.name}` uses CONCURRENTLY, which DSQL rejects; DSQL builds indexes with ASYNC",
                fix=fix("Replace CONCURRENTLY with ASYNC", FixSafety.SAFE, replace_token(tok, "ASYNC")),
            )
            return
        tok = stmt.tokens[index.index_index]
        yield self.report(
            stmt,
            tok,
            message=f"index `{index.name}` is built synchronously; DSQL only accepts CREATE INDEX ASYNC",
            fix=fix("Add ASYNC after INDEX", FixSafety.SAFE, insert_after(tok, " ASYNC")),
        )
