"""DSQL215 tablespace-statement: DSQL has no tablespaces."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule

VERBS = {"CREATE": "created", "ALTER": "altered", "DROP": "dropped"}


class TablespaceStatement(TaggedStatementRule):
    """Flags CREATE, ALTER and DROP TABLESPACE."""

    code: ClassVar[str] = "DSQL215"
    name: ClassVar[str] = "tablespace-statement"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Tablespaces cannot be created, altered or dropped in DSQL"
    help: ClassVar[str] = "remove the statement: DSQL manages storage itself and has no tablespaces"
    tags: ClassVar[frozenset[str]] = frozenset({"CREATE TABLESPACE", "ALTER TABLESPACE", "DROP TABLESPACE"})

    def message_for(self, stmt: Statement, name: str) -> str:
        verb = stmt.tag.split()[0]
        answer = " (it answers `unsupported statement: CreateTableSpace`)" if verb == "CREATE" else ""
        return f"tablespace `{name}` cannot be {VERBS[verb]}: DSQL has no tablespaces{answer}"
