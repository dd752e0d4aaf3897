"""The unsafe fix of DSQL501 and DSQL502: end the transaction before a statement and open a new one.

``COMMIT;`` and ``BEGIN;`` are inserted before the offending statement, written
the way the block itself is written: the closing word the block uses (``COMMIT``
or ``END``, in its case) and a copy of the block's opening statement (``BEGIN``,
``begin work``, ``START TRANSACTION READ WRITE`` ...), so every new transaction
has the same modes. Comments on their own lines just above the statement move
with it into the new transaction; a comment after the previous statement on its
line stays with that statement.

No fix is offered when splitting would be wrong or meaningless:

- the transaction is opened by a migration tool (``Transaction.managed``, e.g. a
  Flyway file): a COMMIT inside it would end the tool's transaction, so the only
  valid fix is a separate migration file, which a text edit cannot make;
- the block does not end with COMMIT/END (ROLLBACK, PREPARE TRANSACTION, or no
  end at all): committing part of it would change what happens to its work;
- the block is opened by ``COMMIT AND CHAIN`` rather than BEGIN/START;
- an earlier statement in the block sets transaction-scoped state (``SET LOCAL``,
  ``SET TRANSACTION``, ``SET CONSTRAINTS``) that would not carry over.
"""

from __future__ import annotations

from dsql_lint.frontend.edits import fix
from dsql_lint.model import Edit, Fix, FixSafety, Statement, Transaction

#: Help for a finding in a transaction the migration tool opens, where COMMIT/BEGIN cannot split it.
MANAGED_HELP = (
    "the migration tool runs this whole file in one transaction, so COMMIT/BEGIN inside it cannot split it: "
    "move the statement into a migration file of its own, or turn the tool's transaction off for this file"
)


def _newline(text: str) -> str:
    lf = text.count("\n")
    return "\r\n" if lf and text.count("\r\n") == lf else "\n"


def _anchor(stmt: Statement) -> int:
    """Where the statement's own text begins: its first token, or the own-line comments just above it."""
    text = stmt.source.text
    anchor = stmt.tokens[0].start
    for comment in reversed(stmt.leading_comments):
        if comment.end > anchor or text[comment.end : anchor].strip():
            break
        if stmt.source.line_prefix(comment.start).strip():
            break  # a comment that trails the previous statement on its line belongs to it
        anchor = comment.start
    return anchor


def _sets_transaction_state(stmt: Statement) -> bool:
    return (
        stmt.starts_with("SET", "LOCAL")
        or stmt.starts_with("SET", "TRANSACTION")
        or stmt.starts_with("SET", "CONSTRAINTS")
    )


def split_before(txn: Transaction, stmt: Statement, title: str) -> Fix | None:
    """An unsafe fix that commits the block before ``stmt`` and opens a new one, or None (see module doc)."""
    begin, end = txn.begin, txn.end
    if txn.managed or not txn.explicit or begin is None or end is None or not stmt.tokens:
        return None
    if begin.tag != "BEGIN" or end.tag != "COMMIT" or not begin.tokens or not end.tokens:
        return None
    for earlier in txn.statements:
        if earlier is stmt:
            break
        if _sets_transaction_state(earlier):
            return None
    text = stmt.source.text
    closing = end.tokens[0].text  # COMMIT or END, as the block writes it
    opening = " ".join(tok.text for tok in begin.tokens)
    anchor = _anchor(stmt)
    indent = stmt.source.line_prefix(anchor)
    if indent.strip() == "":
        newline = _newline(text)
        inserted = f"{closing};{newline}{indent}{opening};{newline}{indent}"
    else:
        inserted = f"{closing}; {opening}; "
    return fix(title, FixSafety.UNSAFE, Edit(anchor, anchor, inserted))
