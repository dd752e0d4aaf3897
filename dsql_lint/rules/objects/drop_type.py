"""DSQL207 drop-type: DROP TYPE is not supported by DSQL."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class DropType(TaggedStatementRule):
    """Flags DROP TYPE (DROP DOMAIN is fine)."""

    code: ClassVar[str] = "DSQL207"
    name: ClassVar[str] = "drop-type"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DROP TYPE is not supported by DSQL"
    help: ClassVar[str] = "remove the statement: DSQL cannot have user-defined types, so there is nothing to drop"
    tags: ClassVar[frozenset[str]] = frozenset({"DROP TYPE"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return f"type `{name}` cannot be dropped: DSQL answers `unsupported object in DROP statement`"
