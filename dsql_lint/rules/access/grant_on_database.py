"""DSQL705 grant-on-database: database-level privileges do not exist in DSQL's IAM model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import is_name
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class GrantOnDatabase(StatementRule):
    """Flags ``GRANT ... ON DATABASE`` and ``REVOKE ... ON DATABASE``."""

    code: ClassVar[str] = "DSQL705"
    name: ClassVar[str] = "grant-on-database"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "GRANT or REVOKE on a DATABASE is not supported by DSQL"
    help: ClassVar[str] = (
        "drop the statement: who may connect is decided by IAM (dsql:DbConnect / dsql:DbConnectAdmin) and "
        "`AWS IAM GRANT role TO 'arn'`; grant privileges on schemas and tables instead"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"GRANT", "REVOKE"})
    #: The finding is ON DATABASE.
    words: ClassVar[frozenset[str] | None] = frozenset({"DATABASE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in ("GRANT", "REVOKE"):
            return
        on = stmt.find("ON", "DATABASE", depth=0)
        if on == -1:
            return
        target = stmt.tokens[on + 2] if on + 2 < len(stmt.tokens) and is_name(stmt.tokens[on + 2]) else None
        name = f" `{target.identifier}`" if target is not None else ""
        yield self.report(
            stmt,
            stmt.tokens[on],
            stmt.tokens[on + 1],
            message=f"{stmt.tag} on database{name}: DSQL has one built-in database and no database-level "
            "privileges to grant or revoke",
        )
