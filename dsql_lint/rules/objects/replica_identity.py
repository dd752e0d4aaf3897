"""DSQL229 replica-identity: ALTER TABLE ... REPLICA IDENTITY is rejected by DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import alter_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class ReplicaIdentity(StatementRule):
    """Flags ALTER TABLE ... REPLICA IDENTITY {DEFAULT|FULL|NOTHING|USING INDEX i}."""

    code: ClassVar[str] = "DSQL229"
    name: ClassVar[str] = "replica-identity"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE ... REPLICA IDENTITY is not supported by DSQL"
    help: ClassVar[str] = (
        "remove the action: DSQL has no logical replication; use DSQL's change data capture streams instead"
    )

    #: Alter_table() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is REPLICA IDENTITY.
    words: ClassVar[frozenset[str] | None] = frozenset({"REPLICA"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        alter = alter_table(stmt)
        if alter is None:
            return
        table = name_text(stmt, alter.name_start, alter.name_stop)
        for start, _stop in alter.actions:
            if stmt.find("REPLICA", "IDENTITY", start=start, stop=start + 2) != start:
                continue
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[start + 1],
                message=f"ALTER TABLE `{table}` sets REPLICA IDENTITY; DSQL does not support replica identities",
            )
