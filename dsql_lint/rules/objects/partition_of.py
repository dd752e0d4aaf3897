"""DSQL218 partition-of: DSQL has no table partitions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import create_table, name_text
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class PartitionOf(StatementRule):
    """Flags ``CREATE TABLE name PARTITION OF parent ...``."""

    code: ClassVar[str] = "DSQL218"
    name: ClassVar[str] = "partition-of"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Partitions (CREATE TABLE ... PARTITION OF) are not supported by DSQL"
    help: ClassVar[str] = "store the partition's rows in the parent table itself; DSQL does not support partitioning"

    #: Create_table() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The finding is PARTITION OF.
    words: ClassVar[frozenset[str] | None] = frozenset({"PARTITION"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        table = create_table(stmt)
        if table is None:
            return
        i = stmt.find("PARTITION", "OF", start=table.name_stop, stop=table.name_stop + 2)
        if i == -1:
            return
        yield self.report(
            stmt,
            stmt.tokens[i],
            stmt.tokens[i + 1],
            message=f"table `{name_text(stmt, table.name_start, table.name_stop)}` is declared as a partition "
            "(PARTITION OF); DSQL does not support partitioning",
        )
