"""DSQL801 generate-series-row-limit: an INSERT from generate_series that provably exceeds 3,000 rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Transaction
from dsql_lint.rules.api import Context, TransactionRule
from dsql_lint.rules.limits._rows import insert_rows

MAX_ROWS = 3000


class GenerateSeriesRowLimit(TransactionRule):
    """Flags ``INSERT ... SELECT generate_series(a, b [, step])`` that writes more than 3,000 rows.

    The bounds must be integer literals and the SELECT must have nothing that could drop rows (WHERE,
    LIMIT, DISTINCT, joins ...). In an explicit transaction the rows of every INSERT ... VALUES and
    INSERT ... generate_series add up. Transactions that cross the limit with VALUES rows alone are
    DSQL824's (transaction-row-limit), so each case is reported once.
    """

    code: ClassVar[str] = "DSQL801"
    name: ClassVar[str] = "generate-series-row-limit"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "INSERT ... generate_series writes more than the 3,000 rows a DSQL transaction allows"
    help: ClassVar[str] = (
        "insert the series in slices of at most 3,000 rows (generate_series(1, 3000), then 3001 to 6000 ...), "
        "each in its own transaction"
    )

    def check(self, txn: Transaction, ctx: Context) -> Iterator[Diagnostic]:
        body = txn.body
        for stmt in body:  # a loop, not any() over a generator: this runs for every transaction
            if "GENERATE_SERIES" in stmt.words:
                break
        else:
            # VALUES rows alone never cross the limit here (that is DSQL824's), so there is nothing
            # to find; a call of generate_series is a word token GENERATE_SERIES (no non-ASCII
            # spelling of it lowers to "generate_series")
            return
        total = values_total = 0
        for stmt in body:
            count = insert_rows(stmt)
            if count is None:
                continue
            before = total
            total += count.rows
            if count.from_values:
                values_total += count.rows
            if before <= MAX_ROWS < total and values_total <= MAX_ROWS:
                where = "this statement" if before == 0 else f"this transaction ({before:,} rows before this INSERT)"
                yield self.report(
                    stmt,
                    count.anchor,
                    message=f"{count.how}: {where} writes {total:,} rows; DSQL allows at most {MAX_ROWS:,} "
                    "per transaction",
                )
                return
