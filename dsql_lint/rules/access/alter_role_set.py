"""DSQL702 alter-role-set: DSQL does not store per-role configuration defaults."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.access._common import alter_role
from dsql_lint.rules.api import Context, StatementRule


class AlterRoleSet(StatementRule):
    """Flags ``ALTER ROLE r [IN DATABASE d] SET param ...``; ``ALTER ROLE r RESET ...`` is accepted."""

    code: ClassVar[str] = "DSQL702"
    name: ClassVar[str] = "alter-role-set"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER ROLE ... SET parameter is not supported in DSQL"
    help: ClassVar[str] = (
        "set the parameter in the session instead (SET at connection time, or the driver's options), "
        "or qualify names instead of relying on a role's search_path"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER ROLE"})
    #: The finding is SET.
    words: ClassVar[frozenset[str] | None] = frozenset({"SET"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "ALTER ROLE":
            return
        role = alter_role(stmt)
        if role is None:
            return
        at = stmt.find("SET", start=role.rest, stop=role.rest + 4, depth=0)
        if at == -1 or (at != role.rest and not stmt.tokens[role.rest].is_word("IN")):
            return
        param = stmt.tokens[at + 1].text if at + 1 < len(stmt.tokens) else "?"
        yield self.report(
            stmt,
            stmt.tokens[at],
            stmt.tokens[min(at + 1, len(stmt.tokens) - 1)],
            message=f"setting `{param}` as a default for role `{stmt.tokens[role.name_index].text}` "
            "is not supported by DSQL",
        )
