"""DSQL411 alter-table-partition: ALTER TABLE ATTACH / DETACH PARTITION is not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.alter_table._common import actions, leading_words, table_name
from dsql_lint.rules.api import Context, StatementRule

_PATTERNS: tuple[tuple[str, ...], ...] = (("ATTACH", "PARTITION"), ("DETACH", "PARTITION"))


class AlterTablePartition(StatementRule):
    """Flags ``ALTER TABLE p ATTACH PARTITION c ...`` and ``DETACH PARTITION``."""

    code: ClassVar[str] = "DSQL411"
    name: ClassVar[str] = "alter-table-partition"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TABLE ATTACH / DETACH PARTITION is not supported in DSQL"
    help: ClassVar[str] = "remove the action; DSQL has no declarative partitioning and distributes every table itself"

    #: Actions() is empty for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"ALTER TABLE"})
    #: The finding is ATTACH or DETACH PARTITION.
    words: ClassVar[frozenset[str] | None] = frozenset({"PARTITION"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for view, start, stop in actions(stmt):
            length = leading_words(stmt, start, stop, _PATTERNS)
            if not length:
                continue
            words = " ".join(stmt.words[start : start + length])
            yield self.report(
                stmt,
                stmt.tokens[start],
                stmt.tokens[start + length - 1],
                message=f"`{words}` on `{table_name(view)}` is not supported by DSQL, which has no partitioned tables",
            )
