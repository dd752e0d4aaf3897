"""DSQL108 identity-not-bigint: DSQL identity columns must be bigint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rule import Context, StatementRule
from dsql_lint.rules.types._common import NON_BIGINT_INTEGERS, identity_sites, read_type

CANONICAL = {"int2": "smallint", "int": "integer", "int4": "integer"}


class IdentityNotBigint(StatementRule):
    """Flags ``smallint``/``integer`` identity columns in CREATE TABLE."""

    code: ClassVar[str] = "DSQL108"
    name: ClassVar[str] = "identity-not-bigint"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Identity columns must be bigint in DSQL"
    help: ClassVar[str] = "declare the identity column as bigint"

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for site in identity_sites(stmt):
            if site.col is None:
                continue
            ref = read_type(site.col)
            if ref is None or ref.builtin not in NON_BIGINT_INTEGERS or ref.array_start != -1:
                continue
            yield self.report(
                stmt,
                stmt.tokens[ref.name_start],
                stmt.tokens[ref.name_stop - 1],
                message=f"identity column `{site.column}` is {ref.name}; DSQL answers "
                f"`datatype {CANONICAL.get(ref.name, ref.name)} not supported, "
                "identity column type must be bigint`",
            )
