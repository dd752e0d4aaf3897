"""DSQL222 database-statement: A DSQL cluster has exactly one database, postgres."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule

VERBS = {"create": "created", "alter": "altered", "drop": "dropped"}


class DatabaseStatement(TaggedStatementRule):
    """Flags CREATE, ALTER and DROP DATABASE."""

    code: ClassVar[str] = "DSQL222"
    name: ClassVar[str] = "database-statement"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Databases cannot be created, altered or dropped in DSQL"
    help: ClassVar[str] = (
        "use the single database `postgres`, and a schema (CREATE SCHEMA) or a separate cluster to separate data"
    )
    tags: ClassVar[frozenset[str]] = frozenset({"CREATE DATABASE", "ALTER DATABASE", "DROP DATABASE"})

    def message_for(self, stmt: Statement, name: str) -> str:
        verb = stmt.tag.split()[0].lower()
        answer = " (DSQL answers `unsupported statement: Createdb`)" if verb == "create" else ""
        return f"database `{name}` cannot be {VERBS[verb]}: a DSQL cluster has exactly one database, `postgres`{answer}"
