"""The live rules: metadata for the diagnostics that only ``--live`` produces.

Their static ``check`` yields nothing; :mod:`dsql_lint.live.runner` emits their
diagnostics with :meth:`Rule.report`, so positions are exact like any other rule's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class LiveRule(StatementRule):
    """Base of the live rules: nothing to find without a cluster."""

    #: No statement concerns them statically (``check`` finds nothing), so the engine never calls them.
    tags: ClassVar[frozenset[str] | None] = frozenset()

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        """Static mode finds nothing; the live runner reports these."""
        return iter(())


class LiveRejected(LiveRule):
    """The cluster rejected the statement (reported with its SQLSTATE and message)."""

    code: ClassVar[str] = "DSQL010"
    name: ClassVar[str] = "live-rejected"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "with --live: the cluster rejected the statement (server SQLSTATE and message)"
    help: ClassVar[str] = (
        "fix the statement as the server's message says; it was run in a transaction that was rolled back"
    )


class LiveNotValidated(LiveRule):
    """A statement live mode would not run, or could not finish checking, and why."""

    code: ClassVar[str] = "DSQL011"
    name: ClassVar[str] = "live-not-validated"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "with --live: the statement was not validated against the cluster (the reason is given)"
    help: ClassVar[str] = (
        "live mode never runs statements with side effects a rollback may not undo, nor statements that "
        "need objects created earlier in the same run; check this one on a test cluster"
    )


class LiveCatalogConflict(LiveRule):
    """The migration creates an object that exists, or alters/drops one that does not."""

    code: ClassVar[str] = "DSQL012"
    name: ClassVar[str] = "live-catalog-conflict"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = (
        "with --live: creates an object that already exists, or alters or drops one that does not exist"
    )
    help: ClassVar[str] = "add IF NOT EXISTS / IF EXISTS, or fix the name, or bring the cluster to the expected schema"


class LiveIndexLimit(LiveRule):
    """A table would have more indexes than DSQL allows, counting the ones already on the cluster."""

    code: ClassVar[str] = "DSQL013"
    name: ClassVar[str] = "live-index-limit"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "with --live: the table would have more than 24 indexes, counting existing ones"
    help: ClassVar[str] = (
        "DSQL allows at most 24 indexes per table, including primary key and unique-constraint indexes; "
        "drop an index you no longer need first"
    )


class LiveRolePrivilege(LiveRule):
    """A non-admin role creates objects in ``public`` or runs CREATE SCHEMA."""

    code: ClassVar[str] = "DSQL014"
    name: ClassVar[str] = "live-role-privilege"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "with --live: a non-admin role creates objects in public or runs CREATE SCHEMA"
    help: ClassVar[str] = (
        "only admin may create objects in public or create schemas on DSQL; create objects in a schema the "
        "admin made for this role (GRANT USAGE, CREATE ON SCHEMA ... TO role), or run this as admin"
    )


LIVE_RULES: tuple[type[LiveRule], ...] = (
    LiveRejected,
    LiveNotValidated,
    LiveCatalogConflict,
    LiveIndexLimit,
    LiveRolePrivilege,
)
