"""DSQL701 alter-role-property: DSQL does not let ALTER ROLE change role attributes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.access._common import alter_role
from dsql_lint.rules.api import Context, StatementRule

#: What may follow the role name without changing its attributes (RENAME/RESET accepted; SET is DSQL702).
_NOT_PROPERTIES = frozenset({"RENAME", "RESET", "SET", "IN"})


class AlterRoleProperty(StatementRule):
    """Flags ``ALTER ROLE r [WITH] PASSWORD ... | LOGIN | SUPERUSER | CONNECTION LIMIT n | VALID UNTIL ...``.

    ``ALTER ROLE r RENAME TO s`` and ``ALTER ROLE r RESET ...`` are accepted; ``ALTER USER`` is DSQL703.
    """

    code: ClassVar[str] = "DSQL701"
    name: ClassVar[str] = "alter-role-property"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER ROLE cannot change role attributes (PASSWORD, LOGIN, SUPERUSER ...) in DSQL"
    help: ClassVar[str] = (
        "remove the attribute change; DSQL roles authenticate with IAM tokens (IAM action dsql:DbConnect), "
        "and privileges are managed with GRANT and REVOKE"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER ROLE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "ALTER ROLE":
            return
        role = alter_role(stmt)
        if role is None or stmt.words[role.rest] in _NOT_PROPERTIES:
            return
        first = role.rest
        if stmt.tokens[first].is_word("WITH") and first + 1 < len(stmt.tokens):
            first += 1
        yield self.report(
            stmt,
            stmt.tokens[first],
            stmt.tokens[-1],
            message=f"changing attributes of role `{stmt.tokens[role.name_index].text}` is not supported by DSQL",
        )
