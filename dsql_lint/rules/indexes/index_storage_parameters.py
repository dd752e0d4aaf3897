"""DSQL307 index-storage-parameters: CREATE INDEX ... WITH (...) is not in DSQL's grammar."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.edits import delete_tokens, fix
from dsql_lint.frontend.syntax import PUNCT, create_index
from dsql_lint.model import Diagnostic, FixSafety, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.indexes._common import tail_start


class IndexStorageParameters(StatementRule):
    """Flags storage parameters on an index (``WITH (fillfactor = 70)``, ``WITH (deduplicate_items = off)``)."""

    code: ClassVar[str] = "DSQL307"
    name: ClassVar[str] = "index-storage-parameters"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE INDEX cannot set storage parameters with WITH (...) in DSQL"
    help: ClassVar[str] = "remove the WITH (...) clause; DSQL manages index storage itself"
    fix_safety: ClassVar[FixSafety | None] = FixSafety.UNSAFE

    #: Create_index() is None for other statements.
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE INDEX"})
    #: The finding is WITH (...).
    words: ClassVar[frozenset[str] | None] = frozenset({"WITH"})

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        index = create_index(stmt)
        if index is None:
            return
        tokens = stmt.tokens
        at = stmt.find("WITH", start=tail_start(index), depth=0)
        if at == -1 or at + 1 >= len(tokens):
            return
        paren = tokens[at + 1]
        if paren.kind is not PUNCT or paren.text != "(":
            return
        close = stmt.closing(at + 1)
        yield self.report(
            stmt,
            tokens[at],
            tokens[close],
            message=f"index `{index.name}` sets storage parameters with WITH (...); DSQL rejects them",
            fix=fix(
                "Remove the WITH (...) clause", FixSafety.UNSAFE, delete_tokens(stmt.source, tokens[at], tokens[close])
            ),
        )
