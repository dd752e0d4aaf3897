"""DSQL114 unsupported-collation: DSQL has only the C collation; other collation names do not exist."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import fix
from dsql_lint.frontend.syntax import create_index, declared_columns, is_name, name_text, qualified_name_end
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.indexes._common import key_parts
from dsql_lint.rules.types._common import remove_clause

#: Collations DSQL has (folded): the C collation under its PostgreSQL names. ``ucs_basic`` is
#: PostgreSQL's built-in alias of C ordering for UTF-8 and is not flagged either.
AVAILABLE = frozenset({"c", "posix", "default", "ucs_basic"})


class UnsupportedCollation(StatementRule):
    """Flags ``COLLATE name`` in expressions, CHECK constraints, views, queries and domains
    when the collation is not one of DSQL's C-collation names (``"C"``, ``"POSIX"``, ``"default"``).

    A COLLATE clause in a column definition is DSQL105's finding and one on an index key is
    DSQL308's (DSQL rejects those whatever the collation), so they are not reported again here.
    """

    code: ClassVar[str] = "DSQL114"
    name: ClassVar[str] = "unsupported-collation"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = 'DSQL only has the C collation; COLLATE with another name ("en_US", ICU) fails'
    help: ClassVar[str] = (
        'use COLLATE "C" or remove the COLLATE clause; DSQL compares text byte-wise with the C collation, '
        "so a language-aware order needs another design (for example a sort-key column computed by the application)"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Every finding is a COLLATE keyword.
    words: ClassVar[frozenset[str] | None] = frozenset({"COLLATE"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        tokens = stmt.tokens
        if not any(tok.is_word("COLLATE") for tok in tokens):
            return
        owned = _reported_elsewhere(stmt)
        for i, tok in enumerate(tokens):
            if not tok.is_word("COLLATE") or i in owned or i + 1 >= len(tokens) or not is_name(tokens[i + 1]):
                continue
            end = qualified_name_end(stmt, i + 1)
            parts = [t for t in tokens[i + 1 : end] if is_name(t)]
            schema = parts[-2].identifier.lower() if len(parts) >= 2 else None
            collation = parts[-1].identifier
            if collation.lower() in AVAILABLE and schema in (None, "pg_catalog"):
                continue
            last = tokens[end - 1]
            written = name_text(stmt, i + 1, end)
            yield self.report(
                stmt,
                tok,
                last,
                message=f"collation {written} does not exist in DSQL, which only has the C collation "
                '("C", "POSIX", "default")',
                fix=fix(
                    f"Remove COLLATE {written} (DSQL then compares with the C collation)",
                    FixSafety.UNSAFE,
                    remove_clause(stmt.source, tok, last),
                ),
            )


def _reported_elsewhere(stmt: Statement) -> set[int]:
    """Indexes of COLLATE keywords that DSQL105 (column definitions) or DSQL308 (index keys) report."""
    owned: set[int] = set()
    depths = stmt.depths
    for col in declared_columns(stmt):
        base = depths[col.name_index]
        for i in range(col.type_stop, col.stop):
            if depths[i] == base and stmt.tokens[i].is_word("COLLATE"):
                owned.add(i)
    index = create_index(stmt)
    if index is not None:
        for key in index.keys:
            parts = key_parts(stmt, key)
            if parts.collate is not None:
                owned.add(parts.collate[0])
    return owned
