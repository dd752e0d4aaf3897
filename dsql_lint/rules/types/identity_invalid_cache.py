"""DSQL107 identity-invalid-cache: an identity CACHE must be 1 or at least 65536."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import COLUMN_TAGS
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import cache_is_valid, identity_sites, signed_cache


class IdentityInvalidCache(StatementRule):
    """Flags an identity column's ``CACHE n`` when n is neither 1 nor at least 65536."""

    code: ClassVar[str] = "DSQL107"
    name: ClassVar[str] = "identity-invalid-cache"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "An identity column's CACHE must be 1 or >= 65536 in DSQL"
    help: ClassVar[str] = "use CACHE 1 to keep values dense, or CACHE 65536 (or more) for throughput"

    #: Identity_sites() reads CREATE TABLE and ALTER TABLE only.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS
    #: An identity clause starts with GENERATED.
    words: ClassVar[frozenset[str] | None] = frozenset({"GENERATED"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for site in identity_sites(stmt):
            opts = site.identity.options
            if opts.cache_value == -1:
                continue
            value, text = signed_cache(stmt, opts)
            if value is None or cache_is_valid(value):
                continue
            yield self.report(
                stmt,
                stmt.tokens[opts.cache_index],
                stmt.tokens[opts.cache_value],
                message=f"identity column `{site.column}` has CACHE {text}; DSQL only accepts "
                "CACHE 1 or CACHE >= 65536",
            )
