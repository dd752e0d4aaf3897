"""DSQL226 foreign-data: DSQL has no foreign data wrappers, servers or foreign tables."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule

ANSWERS = {
    "CREATE FOREIGN TABLE": "unsupported statement: CreateForeignTable",
}
WHAT = {
    "CREATE FOREIGN TABLE": "foreign table",
    "CREATE SERVER": "foreign server",
    "CREATE FOREIGN DATA WRAPPER": "foreign-data wrapper",
    "CREATE USER MAPPING": "user mapping",
    "IMPORT FOREIGN SCHEMA": "foreign schema import",
}


class ForeignData(TaggedStatementRule):
    """Flags CREATE FOREIGN TABLE, CREATE SERVER, CREATE FOREIGN DATA WRAPPER, CREATE USER MAPPING and
    IMPORT FOREIGN SCHEMA."""

    code: ClassVar[str] = "DSQL226"
    name: ClassVar[str] = "foreign-data"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Foreign tables, servers and wrappers (SQL/MED) are not supported by DSQL"
    help: ClassVar[str] = (
        "load the remote data into DSQL tables (for example with psql \\copy), or query the other database "
        "from the application"
    )
    tags: ClassVar[frozenset[str]] = frozenset(WHAT)

    def message_for(self, stmt: Statement, name: str) -> str:
        what = WHAT[stmt.tag]
        answer = ANSWERS.get(stmt.tag)
        detail = f" (it answers `{answer}`)" if answer else ""
        if stmt.tag == "IMPORT FOREIGN SCHEMA":
            return f"IMPORT FOREIGN SCHEMA `{name}` cannot run: DSQL does not support foreign data"
        subject = what if stmt.tag == "CREATE USER MAPPING" else f"{what} `{name}`"
        return f"{subject} cannot be created: DSQL does not support foreign data{detail}"
