"""DSQL211 do-block: DO blocks need a procedural language, which DSQL does not have."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class DoBlock(TaggedStatementRule):
    """Flags DO blocks (anonymous PL/pgSQL code)."""

    code: ClassVar[str] = "DSQL211"
    name: ClassVar[str] = "do-block"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "DO blocks are not supported by DSQL"
    help: ClassVar[str] = (
        "write the block's statements as plain SQL statements, or move the logic (loops, conditions) "
        "into the migration tool or the application"
    )
    tags: ClassVar[frozenset[str]] = frozenset({"DO"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return "DO block cannot run: it needs PL/pgSQL (or another procedural language), which DSQL does not support"
