"""DSQL404 alter-column-set-statistics: DSQL rejects per-column statistics targets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, alter_column, table_name
from dsql_lint.rules.api import Context, StatementRule


class AlterColumnSetStatistics(StatementRule):
    """Flags ``ALTER [COLUMN] c SET STATISTICS n``. ``CREATE STATISTICS`` objects are accepted."""

    code: ClassVar[str] = "DSQL404"
    name: ClassVar[str] = "alter-column-set-statistics"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER COLUMN ... SET STATISTICS is not supported in DSQL"
    help: ClassVar[str] = (
        "remove the statement; DSQL chooses statistics targets itself, and CREATE STATISTICS "
        "(at most 5 per table) covers correlated columns"
    )

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is SET STATISTICS.
    words: ClassVar[frozenset[str] | None] = frozenset({"STATISTICS"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            col = alter_column(stmt, start, stop)
            if col is None or stmt.find("SET", "STATISTICS", start=col.sub_start, stop=stop) != col.sub_start:
                continue
            yield self.report(
                stmt,
                stmt.tokens[col.sub_start],
                stmt.tokens[col.sub_start + 1],
                message=f"SET STATISTICS on column `{stmt.tokens[col.column_index].text}` of `{table_name(view)}` "
                "is not supported by DSQL",
            )
