"""DSQL604 listen-notify: LISTEN, NOTIFY and UNLISTEN are not supported in DSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule

_TAGS = frozenset({"LISTEN", "NOTIFY", "UNLISTEN"})


class ListenNotify(StatementRule):
    """Flags ``LISTEN``, ``NOTIFY`` and ``UNLISTEN``; ``SELECT pg_notify(...)`` is not flagged (nothing recorded)."""

    code: ClassVar[str] = "DSQL604"
    name: ClassVar[str] = "listen-notify"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "LISTEN, NOTIFY and UNLISTEN are not supported in DSQL"
    help: ClassVar[str] = (
        "remove the statement; use a queue table that consumers poll, or an AWS service (SQS, EventBridge, CDC streams)"
    )

    #: The only statements checked.
    tags: ClassVar[frozenset[str] | None] = _TAGS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in _TAGS or not stmt.tokens:
            return
        tok = stmt.tokens[0]
        subject = stmt.tokens[1].text if len(stmt.tokens) > 1 else ""
        yield self.report(
            stmt,
            tok,
            message=f"`{tok.upper}` on channel `{subject}` is not supported by DSQL (no asynchronous notifications)",
        )
