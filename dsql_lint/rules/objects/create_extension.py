"""DSQL208 create-extension: DSQL does not support extensions."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class CreateExtension(TaggedStatementRule):
    """Flags CREATE EXTENSION (pgcrypto, postgis, vector, pg_trgm, ...)."""

    code: ClassVar[str] = "DSQL208"
    name: ClassVar[str] = "create-extension"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE EXTENSION is not supported by DSQL"
    help: ClassVar[str] = (
        "remove the statement and use built-in functions instead (for example gen_random_uuid() needs no extension)"
    )
    tags: ClassVar[frozenset[str]] = frozenset({"CREATE EXTENSION"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return f"extension `{name}` cannot be installed: DSQL answers `unsupported statement: CreateExtension`"
