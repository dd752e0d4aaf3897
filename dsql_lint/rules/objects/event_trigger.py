"""DSQL231 event-trigger: DSQL has no event triggers."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class EventTrigger(TaggedStatementRule):
    """Flags CREATE EVENT TRIGGER."""

    code: ClassVar[str] = "DSQL231"
    name: ClassVar[str] = "event-trigger"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Event triggers are not supported by DSQL"
    help: ClassVar[str] = "move the DDL auditing or blocking logic into the migration tooling"
    tags: ClassVar[frozenset[str]] = frozenset({"CREATE EVENT TRIGGER"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return (
            f"event trigger `{name}` cannot be created: DSQL supports neither triggers "
            "nor the procedural functions they call"
        )
