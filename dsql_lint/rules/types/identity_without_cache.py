"""DSQL106 identity-without-cache: DSQL identity columns need an explicit CACHE."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix, insert_after, insert_before
from dsql_lint.frontend.syntax import COLUMN_TAGS
from dsql_lint.model import Diagnostic, Edit, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.types._common import Identity, identity_sites


def add_cache_edit(stmt: Statement, ident: Identity) -> Edit:
    """The edit that gives an identity clause ``CACHE 1``: inside its option list, or as a new one."""
    tokens = stmt.tokens
    if ident.open_paren == -1:
        return insert_after(tokens[ident.identity_index], " (CACHE 1)")
    close = tokens[ident.close_paren]
    if ident.close_paren == ident.open_paren + 1:
        return insert_before(close, "CACHE 1")
    return insert_after(tokens[ident.close_paren - 1], " CACHE 1")


class IdentityWithoutCache(StatementRule):
    """Flags ``GENERATED ... AS IDENTITY`` without a CACHE option (CREATE TABLE, ALTER COLUMN ADD GENERATED)."""

    code: ClassVar[str] = "DSQL106"
    name: ClassVar[str] = "identity-without-cache"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Identity columns need an explicit CACHE (1 or >= 65536) in DSQL"
    help: ClassVar[str] = "add `(CACHE 1)` to keep values dense, or `(CACHE 65536)` for throughput on busy tables"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE

    #: Identity_sites() reads CREATE TABLE and ALTER TABLE only.
    tags: ClassVar[frozenset[str] | None] = COLUMN_TAGS
    #: An identity clause starts with GENERATED.
    words: ClassVar[frozenset[str] | None] = frozenset({"GENERATED"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for site in identity_sites(stmt):
            ident = site.identity
            if ident.options.cache_index != -1:
                continue
            yield self.report(
                stmt,
                stmt.tokens[ident.generated_index],
                stmt.tokens[ident.identity_index],
                message=f"identity column `{site.column}` has no CACHE option; DSQL answers "
                "`identity column is not supported without an explicit cache size`",
                fix=fix("Add CACHE 1 to the identity options", FixSafety.SAFE, add_cache_edit(stmt, ident)),
            )
