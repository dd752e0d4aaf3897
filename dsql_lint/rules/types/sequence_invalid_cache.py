"""DSQL110 sequence-invalid-cache: a sequence's CACHE must be 1 or at least 65536."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import cache_is_valid, sequence_statement, signed_cache


class SequenceInvalidCache(StatementRule):
    """Flags ``CACHE n`` in CREATE or ALTER SEQUENCE when n is neither 1 nor at least 65536."""

    code: ClassVar[str] = "DSQL110"
    name: ClassVar[str] = "sequence-invalid-cache"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A sequence's CACHE must be 1 or >= 65536 in DSQL"
    help: ClassVar[str] = "use CACHE 1 to keep values dense, or CACHE 65536 (or more) for throughput"

    #: What sequence_statement() reads.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE SEQUENCE", "ALTER SEQUENCE"})
    #: The finding is a CACHE option.
    words: ClassVar[frozenset[str] | None] = frozenset({"CACHE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        seq = sequence_statement(stmt)
        if seq is None or seq.options.cache_value == -1:
            return
        value, text = signed_cache(stmt, seq.options)
        if value is None or cache_is_valid(value):
            return
        yield self.report(
            stmt,
            stmt.tokens[seq.options.cache_index],
            stmt.tokens[seq.options.cache_value],
            message=f"sequence `{seq.name(stmt)}` has CACHE {text}; DSQL only accepts CACHE 1 or CACHE >= 65536",
        )
