"""DSQL109 sequence-without-cache: DSQL sequences need an explicit CACHE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix, insert_after
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import sequence_statement


class SequenceWithoutCache(StatementRule):
    """Flags ``CREATE SEQUENCE`` without a CACHE option."""

    code: ClassVar[str] = "DSQL109"
    name: ClassVar[str] = "sequence-without-cache"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE SEQUENCE needs an explicit CACHE (1 or >= 65536) in DSQL"
    help: ClassVar[str] = "add `CACHE 1` to keep values dense, or `CACHE 65536` for throughput on busy sequences"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE

    #: Only a created sequence is flagged.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE SEQUENCE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        seq = sequence_statement(stmt)
        if seq is None or not seq.is_create or seq.options.cache_index != -1:
            return
        last = stmt.tokens[seq.name_stop - 1]
        yield self.report(
            stmt,
            stmt.tokens[seq.name_start],
            last,
            message=f"sequence `{seq.name(stmt)}` has no CACHE option; DSQL answers `CREATE SEQUENCE is not "
            "supported without an explicit cache size`",
            fix=fix("Add CACHE 1 after the sequence name", FixSafety.SAFE, insert_after(last, " CACHE 1")),
        )
