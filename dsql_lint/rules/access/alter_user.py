"""DSQL703 alter-user: DSQL rejects ALTER USER in every form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class AlterUser(StatementRule):
    """Flags ``ALTER USER ...`` (``ALTER USER MAPPING`` is a different statement and not flagged here)."""

    code: ClassVar[str] = "DSQL703"
    name: ClassVar[str] = "alter-user"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER USER is not supported in DSQL"
    help: ClassVar[str] = "write ALTER ROLE instead (only RENAME TO and RESET are accepted there)"

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER USER"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "ALTER USER" or len(stmt.tokens) < 2:
            return
        name = stmt.tokens[2].text if len(stmt.tokens) > 2 else "?"
        yield self.report(
            stmt,
            stmt.tokens[0],
            stmt.tokens[1],
            message=f"`ALTER USER {name}` is not supported by DSQL",
        )
