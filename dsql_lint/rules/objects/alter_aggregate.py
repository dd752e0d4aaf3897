"""DSQL214 alter-aggregate: ALTER AGGREGATE is not supported by DSQL."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class AlterAggregate(TaggedStatementRule):
    """Flags ALTER AGGREGATE in every form."""

    code: ClassVar[str] = "DSQL214"
    name: ClassVar[str] = "alter-aggregate"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER AGGREGATE is not supported by DSQL"
    help: ClassVar[str] = "remove the statement; DSQL does not support altering aggregates"
    tags: ClassVar[frozenset[str]] = frozenset({"ALTER AGGREGATE"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return f"aggregate `{name}` cannot be altered: DSQL rejects ALTER AGGREGATE"
