"""DSQL212 create-procedure: DSQL does not support user-defined procedures."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class CreateProcedure(TaggedStatementRule):
    """Flags CREATE [OR REPLACE] PROCEDURE in any language."""

    code: ClassVar[str] = "DSQL212"
    name: ClassVar[str] = "create-procedure"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE PROCEDURE is not supported by DSQL"
    help: ClassVar[str] = (
        "use a LANGUAGE sql function for a reusable query, or move the procedure's logic into the application"
    )
    tags: ClassVar[frozenset[str]] = frozenset({"CREATE PROCEDURE"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return f"procedure `{name}` cannot be created: DSQL answers `PROCEDURE is not supported`"
