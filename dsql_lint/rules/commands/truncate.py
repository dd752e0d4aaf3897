"""DSQL601 truncate: DSQL has no TRUNCATE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import name_text, qualified_name_end
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class Truncate(StatementRule):
    """Flags ``TRUNCATE [TABLE] ...``."""

    code: ClassVar[str] = "DSQL601"
    name: ClassVar[str] = "truncate"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "TRUNCATE is not supported in DSQL"
    help: ClassVar[str] = (
        "use DELETE FROM in batches of at most 3,000 rows per transaction, "
        "or DROP TABLE and CREATE TABLE again for a large table"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"TRUNCATE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "TRUNCATE" or not stmt.tokens:
            return
        tokens = stmt.tokens
        i = 1
        if i < len(tokens) and tokens[i].is_word("TABLE"):
            i += 1
        only = i < len(tokens) and tokens[i].is_word("ONLY")
        name_start = i + 1 if only else i
        name_stop = qualified_name_end(stmt, name_start)
        table = name_text(stmt, name_start, name_stop) or "?"
        yield self.report(
            stmt,
            tokens[0],
            message=f"`TRUNCATE` of `{table}` is not supported by DSQL",
        )
