"""DSQL220 create-table-as: CREATE TABLE AS and SELECT INTO are not supported by DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import create_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import ctas_index


class CreateTableAs(StatementRule):
    """Flags ``CREATE TABLE ... AS query`` (or ``AS EXECUTE``) and ``SELECT ... INTO new_table``."""

    code: ClassVar[str] = "DSQL220"
    name: ClassVar[str] = "create-table-as"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE TABLE AS and SELECT INTO are not supported by DSQL"
    help: ClassVar[str] = (
        "create the table with explicit columns first, then fill it with INSERT INTO ... SELECT in a separate "
        "transaction (in batches of at most 3,000 rows)"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"SELECT INTO", "CREATE TABLE"})
    #: SELECT INTO needs INTO, CREATE TABLE AS needs AS.
    words: ClassVar[frozenset[str] | None] = frozenset({"INTO", "AS"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag == "SELECT INTO":
            i = stmt.find("INTO")
            if i == -1:
                return
            yield self.report(
                stmt,
                stmt.tokens[i],
                message="SELECT INTO creates a table from a query; DSQL answers `unsupported statement: CreateTableAs`",
            )
            return
        table = create_table(stmt)
        if table is None:
            return
        i = ctas_index(table)
        if i == -1:
            return
        yield self.report(
            stmt,
            stmt.tokens[i],
            message=f"table `{name_text(stmt, table.name_start, table.name_stop)}` is created from a query "
            "(CREATE TABLE AS); DSQL answers `unsupported statement: CreateTableAs`",
        )
