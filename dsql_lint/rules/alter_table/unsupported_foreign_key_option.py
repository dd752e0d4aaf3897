"""DSQL413 unsupported-foreign-key-option: MATCH PARTIAL and NOT ENFORCED on a foreign key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import WORD
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

#: The two words of each option (upper case) -> why DSQL does not take it.
_OPTIONS = {
    ("MATCH", "PARTIAL"): "`MATCH PARTIAL` is not implemented by PostgreSQL, so not by DSQL either "
    "(it answers `MATCH PARTIAL not yet implemented`)",
    ("NOT", "ENFORCED"): "`NOT ENFORCED` is PostgreSQL 18 syntax; DSQL speaks PostgreSQL 16, where every "
    "foreign key is enforced",
}


class UnsupportedForeignKeyOption(StatementRule):
    """Flags ``MATCH PARTIAL`` (PostgreSQL never implemented it) and ``NOT ENFORCED`` (PostgreSQL 18
    syntax; DSQL speaks 16) on a foreign key, in CREATE TABLE and ALTER TABLE.

    Both make the statement one PostgreSQL 16 does not parse: this finding says why in a
    sentence, and replaces DSQL001's syntax error for the statement.
    """

    code: ClassVar[str] = "DSQL413"
    name: ClassVar[str] = "unsupported-foreign-key-option"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "MATCH PARTIAL and NOT ENFORCED are not available on DSQL's foreign keys"
    help: ClassVar[str] = (
        "write MATCH SIMPLE (the default) or MATCH FULL; a foreign key is always enforced on DSQL: "
        "leave it out if it must not be"
    )
    explains_syntax: ClassVar[bool] = True

    #: CREATE SCHEMA too: its elements may be tables with foreign keys.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE", "ALTER TABLE", "CREATE SCHEMA"})
    words: ClassVar[frozenset[str] | None] = frozenset({"PARTIAL", "ENFORCED"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in self.tags or "REFERENCES" not in stmt.words:  # type: ignore[operator]
            return
        tokens = stmt.tokens
        for i in range(1, len(tokens)):
            message = _OPTIONS.get((tokens[i - 1].upper, tokens[i].upper))
            if message is not None and tokens[i - 1].kind is WORD and tokens[i].kind is WORD:
                yield self.report(stmt, tokens[i - 1], tokens[i], message=message)
