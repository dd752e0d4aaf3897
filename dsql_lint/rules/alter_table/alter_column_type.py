"""DSQL402 alter-column-type: DSQL cannot change a column's type."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, alter_column, table_name, word_at
from dsql_lint.rules.api import Context, StatementRule


class AlterColumnType(StatementRule):
    """Flags ``ALTER [COLUMN] c [SET DATA] TYPE t``, whatever the target type."""

    code: ClassVar[str] = "DSQL402"
    name: ClassVar[str] = "alter-column-type"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER COLUMN ... TYPE is not supported in DSQL"
    help: ClassVar[str] = (
        "add a new column of the new type, copy the values over in batches of at most 3,000 rows, "
        "then drop the old column and rename the new one"
    )

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is [SET DATA] TYPE.
    words: ClassVar[frozenset[str] | None] = frozenset({"TYPE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            col = alter_column(stmt, start, stop)
            if col is None:
                continue
            j = col.sub_start
            if word_at(stmt, j, stop) == "TYPE":
                last = j
            elif (word_at(stmt, j, stop), word_at(stmt, j + 1, stop), word_at(stmt, j + 2, stop)) == (
                "SET",
                "DATA",
                "TYPE",
            ):
                last = j + 2
            else:
                continue
            yield self.report(
                stmt,
                stmt.tokens[j],
                stmt.tokens[last],
                message=f"changing the type of column `{stmt.tokens[col.column_index].text}` of "
                f"`{table_name(view)}` is not supported by DSQL",
            )
