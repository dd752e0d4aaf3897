"""A third-party rule, written only against dsql-lint's public API."""

from __future__ import annotations

from collections.abc import Iterator

from dsql_lint import Context, Diagnostic, Severity, Statement, StatementRule, names


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


class NoNowInDefaults(StatementRule):
    """A column DEFAULT of now() in a CREATE TABLE: read from PostgreSQL's parse tree (``stmt.tree``)."""

    code = "ACME002"
    name = "no-now-in-defaults"
    severity = Severity.WARNING
    summary = "Timestamps come from the application, not from now()"
    help = "pass the time from the application, which knows the time zone it means"
    default_enabled = False
    tags = frozenset({"CREATE TABLE"})  # called only for CREATE TABLE statements

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        tree = stmt.tree  # None when PostgreSQL's grammar rejects the statement
        if tree is None:
            return
        for _, column in tree.nodes("ColumnDef"):
            for item in column.get("constraints", ()):
                constraint = item.get("Constraint", {})
                call = constraint.get("raw_expr", {}).get("FuncCall")
                if constraint.get("contype") == "CONSTR_DEFAULT" and call and names(call)[-1:] == ["now"]:
                    # The node's location is where the call starts in the file; its tokens give the end.
                    first = stmt.token_index(tree.offset(call["location"]))
                    last = first
                    while stmt.tokens[last + 1].text != "(":  # pg_catalog . now (
                        last += 1
                    yield self.report(
                        stmt,
                        stmt.tokens[first],
                        stmt.tokens[last],
                        message=f"column `{column['colname']}` defaults to now()",
                    )
