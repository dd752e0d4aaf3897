"""DSQL704 role-password: DSQL roles authenticate with IAM, never with a password."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class RolePassword(StatementRule):
    """Flags ``CREATE ROLE|USER|GROUP ... [ENCRYPTED] PASSWORD '...'``. ``PASSWORD NULL`` is not flagged.

    A warning: no DSQL answer to the statement is recorded, but authentication is IAM-only,
    so the password can never be used to connect.
    """

    code: ClassVar[str] = "DSQL704"
    name: ClassVar[str] = "role-password"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "A role password is useless on DSQL: authentication is IAM-only"
    help: ClassVar[str] = (
        "drop the PASSWORD clause; the role connects with an IAM authentication token "
        "(generate-db-connect-auth-token, IAM action dsql:DbConnect)"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE ROLE", "CREATE USER", "CREATE GROUP"})
    #: The finding is PASSWORD.
    words: ClassVar[frozenset[str] | None] = frozenset({"PASSWORD"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in ("CREATE ROLE", "CREATE USER", "CREATE GROUP"):
            return
        at = stmt.find("PASSWORD", depth=0)
        if at == -1 or at + 1 >= len(stmt.tokens) or stmt.tokens[at + 1].is_word("NULL"):
            return
        first = at - 1 if at > 0 and stmt.tokens[at - 1].is_word("ENCRYPTED", "UNENCRYPTED") else at
        role = stmt.tokens[2].text if len(stmt.tokens) > 2 else "?"
        yield self.report(
            stmt,
            stmt.tokens[first],
            stmt.tokens[at + 1],
            message=f"role `{role}` is given a password, but DSQL authenticates only with IAM tokens",
        )
