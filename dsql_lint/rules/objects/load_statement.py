"""DSQL209 load-statement: LOAD of a shared library is not supported by DSQL."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class LoadStatement(TaggedStatementRule):
    """Flags LOAD 'library'."""

    code: ClassVar[str] = "DSQL209"
    name: ClassVar[str] = "load-statement"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "LOAD is not supported by DSQL"
    help: ClassVar[str] = "remove the statement: DSQL does not load server-side libraries"
    tags: ClassVar[frozenset[str]] = frozenset({"LOAD"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return "LOAD cannot load a server-side library on DSQL"
