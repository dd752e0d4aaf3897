"""DSQL221 materialized-view: DSQL has no materialized views."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule

VERBS = {"alter": "altered", "drop": "dropped", "refresh": "refreshed"}


class MaterializedView(TaggedStatementRule):
    """Flags CREATE, ALTER, DROP and REFRESH MATERIALIZED VIEW."""

    code: ClassVar[str] = "DSQL221"
    name: ClassVar[str] = "materialized-view"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Materialized views are not supported by DSQL"
    help: ClassVar[str] = (
        "use a regular view, or a table that the application (or a scheduled job) refreshes "
        "with INSERT/DELETE in batches"
    )
    tags: ClassVar[frozenset[str]] = frozenset(
        {"CREATE MATERIALIZED VIEW", "ALTER MATERIALIZED VIEW", "DROP MATERIALIZED VIEW", "REFRESH MATERIALIZED VIEW"}
    )

    def message_for(self, stmt: Statement, name: str) -> str:
        if stmt.tag.startswith("CREATE"):
            return f"materialized view `{name}` cannot be created: DSQL answers `unsupported statement: CreateTableAs`"
        verb = stmt.tag.split()[0].lower()
        return f"materialized view `{name}` cannot be {VERBS.get(verb, verb)}: DSQL has no materialized views"
