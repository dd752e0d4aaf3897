"""Helpers shared by the object rules: where a command's tag ends, the object's name, CREATE TABLE's tail.

Everything works from tokens, so it also works when sqlglot could not parse the
statement or turned it into a bare ``Command``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.frontend.syntax import CreateTable, is_name, name_text, qualified_name_end
from dsql_lint.model import Diagnostic, Statement
from dsql_lint.rules.api import Context, StatementRule

#: Words that may sit between CREATE and the object type (``CREATE OR REPLACE TEMP VIEW``).
CREATE_MODIFIERS = frozenset(
    {"OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "RECURSIVE", "TRUSTED", "PROCEDURAL"}
)


def tag_end(stmt: Statement) -> int:
    """Index of the last token of the command tag (``VIEW`` in ``CREATE OR REPLACE TEMP VIEW``), or -1."""
    words = stmt.tag.split()
    tokens = stmt.tokens
    i = 0
    last = -1
    for word in words:
        while i < len(tokens) and tokens[i].is_word(*CREATE_MODIFIERS) and not tokens[i].is_word(word):
            i += 1
        if i >= len(tokens) or not tokens[i].is_word(word):
            return last
        last = i
        i += 1
    return last


def modifier_indexes(stmt: Statement) -> list[int]:
    """Indexes of the modifier words between CREATE and the object type."""
    end = tag_end(stmt)
    return [i for i in range(1, max(end, 0)) if stmt.tokens[i].is_word(*CREATE_MODIFIERS)]


def object_name(stmt: Statement, after: int) -> str:
    """The (possibly qualified) name following token ``after``, skipping IF [NOT] EXISTS; ``?`` when absent."""
    j = after + 1
    if j < len(stmt.tokens) and stmt.tokens[j].is_word("CONCURRENTLY"):
        j += 1
    if stmt.find("IF", "NOT", "EXISTS", start=j, stop=j + 3) == j:
        j += 3
    elif stmt.find("IF", "EXISTS", start=j, stop=j + 2) == j:
        j += 2
    if j >= len(stmt.tokens) or not is_name(stmt.tokens[j]):
        return "?"
    return name_text(stmt, j, qualified_name_end(stmt, j))


def table_tail(table: CreateTable) -> range:
    """Token indexes of CREATE TABLE after the element list (or the name), at depth 0 or deeper."""
    return range(table.tail_start, len(table.stmt.tokens))


def ctas_index(table: CreateTable) -> int:
    """Index of the ``AS`` of ``CREATE TABLE ... AS query|EXECUTE``, or -1."""
    stmt = table.stmt
    for i in table_tail(table):
        if stmt.depths[i] == 0 and stmt.tokens[i].is_word("AS"):
            return i
    return -1


def tail_keyword(table: CreateTable, *seq: str) -> int:
    """Index of the word run ``seq`` at depth 0 after the element list and before any ``AS query``, or -1."""
    stmt = table.stmt
    stop = ctas_index(table)
    return stmt.find(*seq, start=table.tail_start, stop=None if stop == -1 else stop, depth=0)


class TaggedStatementRule(StatementRule):
    """A rule that flags every statement whose command tag is one of ``tags``.

    The diagnostic spans the command tag (``CREATE MATERIALIZED VIEW``); subclasses
    set ``tags`` and write the message in :meth:`message_for`.
    """

    tags: ClassVar[frozenset[str]] = frozenset()

    def message_for(self, stmt: Statement, name: str) -> str:
        """The message for a flagged statement whose object is called ``name``."""
        raise NotImplementedError

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        if stmt.tag not in self.tags or not stmt.tokens:
            return
        end = tag_end(stmt)
        if end == -1:
            end = 0
        yield self.report(
            stmt, stmt.tokens[0], stmt.tokens[end], message=self.message_for(stmt, object_name(stmt, end))
        )
