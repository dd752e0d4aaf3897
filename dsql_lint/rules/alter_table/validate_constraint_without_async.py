"""DSQL407 validate-constraint-without-async: DSQL validates constraints only as an async job."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix, insert_after
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, table_name, word_at
from dsql_lint.rules.api import Context, StatementRule


class ValidateConstraintWithoutAsync(StatementRule):
    """Flags ``ALTER TABLE t VALIDATE CONSTRAINT c``; ``ALTER TABLE ASYNC t VALIDATE CONSTRAINT c`` is accepted."""

    code: ClassVar[str] = "DSQL407"
    name: ClassVar[str] = "validate-constraint-without-async"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "VALIDATE CONSTRAINT must be written ALTER TABLE ASYNC ... in DSQL"
    help: ClassVar[str] = (
        "write ALTER TABLE ASYNC t VALIDATE CONSTRAINT c; it returns a job_id, and the constraint is "
        "valid once `CALL sys.wait_for_job('<job_id>')` returns true"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is VALIDATE CONSTRAINT.
    words: ClassVar[frozenset[str] | None] = frozenset({"VALIDATE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            if view.async_index != -1 or word_at(stmt, start, stop) != "VALIDATE":
                continue
            if word_at(stmt, start + 1, stop) != "CONSTRAINT":
                continue
            name = stmt.tokens[start + 2].text if start + 2 < stop else "?"
            table_tok = stmt.tokens[view.table_index]
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[start + 1],
                message=f"constraint `{name}` of `{table_name(view)}` is validated synchronously; "
                "DSQL only accepts ALTER TABLE ASYNC ... VALIDATE CONSTRAINT",
                fix=fix("Add ASYNC after ALTER TABLE", FixSafety.SAFE, insert_after(table_tok, " ASYNC"))
                if len(view.actions) == 1
                else None,
            )
