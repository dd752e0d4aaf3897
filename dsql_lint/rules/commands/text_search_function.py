"""DSQL614 text-search-function: DSQL has no text search configurations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule
from dsql_lint.rules.commands._calls import calls, gate_words

#: Functions recorded failing on DSQL because no text search configuration exists.
TEXT_SEARCH_FUNCTIONS = frozenset(
    {
        "to_tsvector",
        "to_tsquery",
        "plainto_tsquery",
        "phraseto_tsquery",
        "websearch_to_tsquery",
        "ts_rank",
        "ts_rank_cd",
        "ts_headline",
        "setweight",
    }
)

TEXT_SEARCH_WORDS = gate_words(TEXT_SEARCH_FUNCTIONS)


class TextSearchFunction(StatementRule):
    """Flags calls of full-text search functions (``to_tsvector(...)``, ``to_tsquery(...)`` ...).

    An error: DSQL ships no text search configuration at all (facts.md 8.1), so every call that
    needs one fails, as recorded for `english`; in an index expression the index cannot be built.
    """

    code: ClassVar[str] = "DSQL614"
    name: ClassVar[str] = "text-search-function"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "Full-text search functions fail on DSQL: no text search configuration exists"
    help: ClassVar[str] = (
        "search with LIKE/ILIKE on an indexed prefix, or move full-text search to a search service "
        "(OpenSearch) fed from the table"
    )

    #: Every finding is a call of one of them.
    words: ClassVar[frozenset[str] | None] = TEXT_SEARCH_WORDS

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        for tok in calls(stmt, TEXT_SEARCH_FUNCTIONS):  # from the parse tree: quoted and qualified names too
            yield self.report(
                stmt,
                tok,
                message=f"`{tok.text}()` needs a text search configuration, and DSQL has none "
                '(it answers `text search configuration "english" does not exist`)',
            )
