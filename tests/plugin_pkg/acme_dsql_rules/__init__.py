"""A third-party rule, written only against dsql-lint's public API."""

from __future__ import annotations

from collections.abc import Iterator

from dsql_lint import Context, Diagnostic, Severity, Statement, StatementRule


class NoSelectStarInViews(StatementRule):
    """Views that SELECT * change shape when a migration adds a column."""

    code = "ACME001"
    name = "no-select-star-in-views"
    severity = Severity.WARNING
    summary = "Views must list their columns"
    help = "list the columns the view needs"
    default_enabled = False  # opt-in, so installing the plugin does not change other tests

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "CREATE VIEW":
            return
        i = stmt.find("SELECT")
        if i != -1 and i + 1 < len(stmt.tokens) and stmt.tokens[i + 1].text == "*":
            yield self.report(stmt, stmt.tokens[i + 1], message="view selects * instead of naming its columns")
