"""DSQL617 advisory-lock-function: DSQL has no advisory locks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.commands._calls import calls, gate_words

#: PostgreSQL's advisory-lock functions (session and transaction level, shared and exclusive).
ADVISORY_LOCK_FUNCTIONS = frozenset(
    {
        "pg_advisory_lock",
        "pg_advisory_lock_shared",
        "pg_try_advisory_lock",
        "pg_try_advisory_lock_shared",
        "pg_advisory_xact_lock",
        "pg_advisory_xact_lock_shared",
        "pg_try_advisory_xact_lock",
        "pg_try_advisory_xact_lock_shared",
        "pg_advisory_unlock",
        "pg_advisory_unlock_shared",
        "pg_advisory_unlock_all",
    }
)


class AdvisoryLockFunction(StatementRule):
    """Flags calls of ``pg_advisory_lock()`` and the other advisory-lock functions."""

    code: ClassVar[str] = "DSQL617"
    name: ClassVar[str] = "advisory-lock-function"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Advisory locks (pg_advisory_lock and friends) are not available on DSQL"
    help: ClassVar[str] = (
        "remove the lock; DSQL uses optimistic concurrency: make the work idempotent and retry on 40001, "
        "or keep a row in a lock table and update it in the transaction that needs the lock"
    )

    words: ClassVar[frozenset[str] | None] = gate_words(ADVISORY_LOCK_FUNCTIONS)

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for tok in calls(stmt, ADVISORY_LOCK_FUNCTIONS):
            yield self.report(
                stmt,
                tok,
                message=f"`{tok.text}()` takes an advisory lock, and DSQL has no advisory locks",
            )
