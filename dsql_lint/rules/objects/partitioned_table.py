"""DSQL217 partitioned-table: DSQL has no declarative partitioning."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import create_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import tail_keyword


class PartitionedTable(StatementRule):
    """Flags ``CREATE TABLE ... PARTITION BY {RANGE|LIST|HASH} (...)``."""

    code: ClassVar[str] = "DSQL217"
    name: ClassVar[str] = "partitioned-table"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Partitioned tables (PARTITION BY) are not supported by DSQL"
    help: ClassVar[str] = (
        "create a plain table: DSQL distributes and scales storage itself; keep the partition key in the "
        "primary key or an index if queries filter on it"
    )

    #: Create_table() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The finding is PARTITION BY.
    words: ClassVar[frozenset[str] | None] = frozenset({"PARTITION"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        table = create_table(stmt)
        if table is None:
            return
        i = tail_keyword(table, "PARTITION", "BY")
        if i == -1:
            return
        yield self.report(
            stmt,
            stmt.tokens[i],
            stmt.tokens[i + 1],
            message=f"table `{name_text(stmt, table.name_start, table.name_stop)}` is partitioned (PARTITION BY); "
            "DSQL does not support partitioning",
        )
