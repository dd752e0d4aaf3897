"""DSQL111 sequence-not-bigint: DSQL sequences must be bigint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import BIGINT_NAMES, sequence_statement


class SequenceNotBigint(StatementRule):
    """Flags ``AS smallint|integer`` in CREATE or ALTER SEQUENCE."""

    code: ClassVar[str] = "DSQL111"
    name: ClassVar[str] = "sequence-not-bigint"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Sequences must be bigint in DSQL"
    help: ClassVar[str] = "write `AS bigint`, or leave AS out (bigint is the default)"

    #: What sequence_statement() reads.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE SEQUENCE", "ALTER SEQUENCE"})
    #: The finding is an AS type option.
    words: ClassVar[frozenset[str] | None] = frozenset({"AS"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        seq = sequence_statement(stmt)
        if seq is None or seq.options.as_index == -1:
            return
        opts = seq.options
        first = stmt.tokens[opts.type_start]
        last = stmt.tokens[opts.type_stop - 1]
        schema_ok = opts.type_start == opts.as_index + 1 or stmt.tokens[opts.as_index + 1].identifier == "pg_catalog"
        if not schema_ok or first.identifier.lower() in BIGINT_NAMES:
            return
        yield self.report(
            stmt,
            stmt.tokens[opts.as_index + 1],
            last,
            message=f"sequence `{seq.name(stmt)}` is declared AS {first.text}; DSQL sequences must be bigint",
        )
