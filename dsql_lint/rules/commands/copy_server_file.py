"""DSQL606 copy-server-file: DSQL cannot COPY to or from files or programs on the server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import STRING
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class CopyServerFile(StatementRule):
    """Flags ``COPY ... FROM 'file'``, ``COPY ... TO 'file'`` and ``... PROGRAM '...'``.
    ``FROM STDIN`` / ``TO STDOUT`` (and psql's ``\\copy``) are accepted."""

    code: ClassVar[str] = "DSQL606"
    name: ClassVar[str] = "copy-server-file"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "COPY to or from a server file or program is not supported in DSQL"
    help: ClassVar[str] = (
        "copy through the client instead: COPY ... FROM STDIN / TO STDOUT, or psql's \\copy, "
        "which reads and writes files on your machine"
    )

    #: The only statement checked.
    tags: ClassVar[frozenset[str] | None] = frozenset({"COPY"})
    #: The finding is FROM or TO.
    words: ClassVar[frozenset[str] | None] = frozenset({"FROM", "TO"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag != "COPY":
            return
        tokens = stmt.tokens
        for i, tok in enumerate(tokens):
            if stmt.depths[i] != 0 or not tok.is_word("FROM", "TO") or i + 1 >= len(tokens):
                continue
            target = tokens[i + 1]
            if target.is_word("PROGRAM"):
                yield self.report(
                    stmt,
                    tok,
                    target,
                    message=f"`COPY ... {tok.upper} PROGRAM` runs a program on the server; DSQL does not allow it",
                )
            elif target.kind is STRING:
                yield self.report(
                    stmt,
                    tok,
                    target,
                    message=f"`COPY ... {tok.upper} {target.text}` uses a file on the server; DSQL does not allow it",
                )
            return
