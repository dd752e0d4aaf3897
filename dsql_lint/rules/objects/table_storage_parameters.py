"""DSQL223 table-storage-parameters: CREATE TABLE ... WITH (storage parameters) is rejected by DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import create_table, name_text
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.objects._common import tail_keyword
from dsql_lint.rules.types._common import remove_clause


class TableStorageParameters(StatementRule):
    """Flags ``WITH (fillfactor = 70, ...)`` after a CREATE TABLE's column list (not a CTE of CREATE TABLE AS)."""

    code: ClassVar[str] = "DSQL223"
    name: ClassVar[str] = "table-storage-parameters"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE TABLE cannot set storage parameters (WITH (...)) in DSQL"
    help: ClassVar[str] = "remove the WITH (...) clause: DSQL manages table storage itself"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Create_table() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})
    #: The finding is WITH (...).
    words: ClassVar[frozenset[str] | None] = frozenset({"WITH"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        table = create_table(stmt)
        if table is None:
            return
        i = tail_keyword(table, "WITH", "(")
        while i > 0 and stmt.tokens[i - 1].is_word("VALUES"):
            # FOR VALUES WITH (MODULUS m, REMAINDER r) is a hash partition bound, not storage parameters
            i = stmt.find("WITH", "(", start=i + 1, depth=0)
        if i == -1:
            return
        close = stmt.closing(i + 1)
        params = " ".join(t.text for t in stmt.tokens[i + 2 : close])
        yield self.report(
            stmt,
            stmt.tokens[i],
            stmt.tokens[close],
            message=f"table `{name_text(stmt, table.name_start, table.name_stop)}` sets storage parameters "
            f"({params}); DSQL rejects WITH (...) on CREATE TABLE",
            fix=fix(
                "Remove the WITH (...) clause",
                FixSafety.UNSAFE,
                remove_clause(stmt.source, stmt.tokens[i], stmt.tokens[close]),
            ),
        )
