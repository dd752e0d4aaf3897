"""DSQL230 alter-index: ALTER INDEX is not supported by DSQL."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class AlterIndex(TaggedStatementRule):
    """Flags ALTER INDEX in every form, RENAME included."""

    code: ClassVar[str] = "DSQL230"
    name: ClassVar[str] = "alter-index"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER INDEX is not supported by DSQL"
    help: ClassVar[str] = "drop the index and create it again with CREATE INDEX ASYNC under the new name or definition"
    tags: ClassVar[frozenset[str]] = frozenset({"ALTER INDEX"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return f"index `{name}` cannot be altered: DSQL rejects ALTER INDEX, RENAME included"
