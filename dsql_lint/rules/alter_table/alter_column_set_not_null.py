"""DSQL403 alter-column-set-not-null: DSQL cannot add NOT NULL to an existing column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, alter_column, table_name
from dsql_lint.rules.api import Context, StatementRule


class AlterColumnSetNotNull(StatementRule):
    """Flags ``ALTER [COLUMN] c SET NOT NULL``. ``DROP NOT NULL`` is accepted."""

    code: ClassVar[str] = "DSQL403"
    name: ClassVar[str] = "alter-column-set-not-null"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER COLUMN ... SET NOT NULL is not supported in DSQL"
    help: ClassVar[str] = (
        "add `CHECK (column IS NOT NULL) NOT VALID` as a named constraint instead, "
        "then validate it with ALTER TABLE ASYNC ... VALIDATE CONSTRAINT"
    )

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is SET NOT NULL.
    words: ClassVar[frozenset[str] | None] = frozenset({"NULL"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            col = alter_column(stmt, start, stop)
            if col is None or stmt.find("SET", "NOT", "NULL", start=col.sub_start, stop=stop) != col.sub_start:
                continue
            yield self.report(
                stmt,
                stmt.tokens[col.sub_start],
                stmt.tokens[col.sub_start + 2],
                message=f"SET NOT NULL on column `{stmt.tokens[col.column_index].text}` of `{table_name(view)}` "
                "is not supported by DSQL",
            )
