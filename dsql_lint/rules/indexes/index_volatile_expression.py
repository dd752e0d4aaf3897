"""DSQL309 index-volatile-expression: index expressions and predicates must be immutable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import WORD, create_index
from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.commands._calls import calls, gate_words

#: Built-in functions that are not IMMUTABLE (volatile or stable): an index cannot use them.
NOT_IMMUTABLE_FUNCTIONS = frozenset(
    {
        "random",
        "now",
        "clock_timestamp",
        "statement_timestamp",
        "transaction_timestamp",
        "timeofday",
        "gen_random_uuid",
        "uuid_generate_v4",
        "uuidv4",
        "uuidv7",
        "nextval",
        "currval",
        "lastval",
        "setval",
        "txid_current",
        "pg_current_xact_id",
        "current_setting",
        "current_database",
        "current_schema",
        "inet_client_addr",
        "pg_backend_pid",
    }
)
#: SQL's own value keywords that read the clock or the session (no parentheses).
NOT_IMMUTABLE_KEYWORDS = frozenset(
    {"CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER"}
)


class IndexVolatileExpression(StatementRule):
    """Flags a function that is not IMMUTABLE (``random()``, ``now()``, ``clock_timestamp()``, ``nextval()``
    ...) or a clock keyword (``CURRENT_TIMESTAMP`` ...) in an index's key expressions or ``WHERE``."""

    code: ClassVar[str] = "DSQL309"
    name: ClassVar[str] = "index-volatile-expression"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Index expressions and predicates may only use IMMUTABLE functions"
    help: ClassVar[str] = (
        "index a stored column instead (set it when the row is written), or compare with a constant "
        "in a partial index's WHERE"
    )

    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})
    words: ClassVar[frozenset[str] | None] = gate_words(NOT_IMMUTABLE_FUNCTIONS) | NOT_IMMUTABLE_KEYWORDS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None or index.open_paren < 0:
            return
        found = [t for t in calls(stmt, NOT_IMMUTABLE_FUNCTIONS) if t.start > stmt.tokens[index.open_paren].start]
        found += [t for t in stmt.tokens[index.open_paren :] if t.kind is WORD and t.upper in NOT_IMMUTABLE_KEYWORDS]
        for tok in sorted(found, key=lambda t: t.start):
            what = f"`{tok.text}()`" if tok.upper not in NOT_IMMUTABLE_KEYWORDS else f"`{tok.text}`"
            yield self.report(
                stmt,
                tok,
                message=f"{what} is not IMMUTABLE, so an index cannot use it: its value changes between rows "
                "or calls (PostgreSQL: `functions in index expression must be marked IMMUTABLE`)",
            )
