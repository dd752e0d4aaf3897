"""DSQL201 create-trigger: DSQL has no triggers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import is_name
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class CreateTrigger(StatementRule):
    """Flags CREATE [OR REPLACE] [CONSTRAINT] TRIGGER."""

    code: ClassVar[str] = "DSQL201"
    name: ClassVar[str] = "create-trigger"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE TRIGGER is not supported by DSQL"
    help: ClassVar[str] = (
        "move the trigger's logic into the application or into the statements that change the table "
        "(for example set updated_at in the UPDATE itself)"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TRIGGER"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "CREATE TRIGGER":
            return
        i = stmt.find("TRIGGER")
        if i == -1:
            return
        name = stmt.tokens[i + 1].identifier if i + 1 < len(stmt.tokens) and is_name(stmt.tokens[i + 1]) else "?"
        yield self.report(
            stmt,
            stmt.tokens[0],
            stmt.tokens[i],
            message=f"trigger `{name}` cannot be created: DSQL does not support triggers",
        )
