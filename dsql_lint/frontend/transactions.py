"""Group statements into the transactions the server will run.

Explicit transactions run from ``BEGIN`` / ``START TRANSACTION`` to ``COMMIT``,
``END``, ``ROLLBACK``, ``ABORT`` or ``PREPARE TRANSACTION`` (``AND CHAIN``
starts the next one at once). Everything else runs in autocommit: one
statement, one transaction. Migration tools that wrap a whole file or section in
a transaction build their transactions elsewhere and reuse :func:`group` for the
explicit blocks inside.
"""

from __future__ import annotations

from dsql_lint.model import Kind, Statement, Transaction

_ENDERS = frozenset({"COMMIT", "ROLLBACK", "PREPARE TRANSACTION"})
# An enum member as a module constant: ``Kind.TCL`` costs a metaclass attribute lookup per use.
_TCL = Kind.TCL


def _chains(stmt: Statement) -> bool:
    return stmt.has("AND", "CHAIN") and not stmt.has("AND", "NO", "CHAIN")


def group(
    statements: list[Statement], autocommit_reason: str = "the statement runs in autocommit"
) -> list[Transaction]:
    """Split statements into explicit transactions and single autocommit statements."""
    transactions: list[Transaction] = []
    append = transactions.append
    current: Transaction | None = None
    for stmt in statements:
        if stmt.kind is not _TCL:  # most statements: alone in autocommit, or inside the open block
            if current is None:
                # Positional arguments (statements, explicit, begin, end, reason): a keyword call
                # costs noticeably more per statement; a test pins this to the keyword form.
                append(Transaction([stmt], False, None, None, autocommit_reason))
            else:
                current.statements.append(stmt)
            continue
        tag = stmt.tag
        if tag == "BEGIN":
            if current is None:
                current = Transaction([stmt], explicit=True, begin=stmt, reason=_explicit_reason(stmt))
            else:
                current.statements.append(stmt)  # PostgreSQL warns and ignores a nested BEGIN
        elif tag in _ENDERS:
            if current is None:
                append(Transaction([stmt], explicit=False, reason=autocommit_reason))
                continue
            current.statements.append(stmt)
            current.end = stmt
            append(current)
            current = None
            if tag != "PREPARE TRANSACTION" and _chains(stmt):
                current = Transaction([], explicit=True, begin=stmt, reason=_explicit_reason(stmt))
        elif current is not None:
            current.statements.append(stmt)
        else:
            append(Transaction([stmt], explicit=False, reason=autocommit_reason))
    if current is not None:
        transactions.append(current)
    return transactions


def _explicit_reason(begin: Statement) -> str:
    return f"the transaction is opened by {begin.tag if begin.tag != 'BEGIN' else begin.words[0]} on line {begin.line}"
