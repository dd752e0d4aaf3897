"""Index-key anatomy shared by the index rules: where a key's expression ends and what follows it."""

from __future__ import annotations

from dataclasses import dataclass

from dsql_lint.frontend.edits import delete_tokens
from dsql_lint.frontend.syntax import (
    PUNCT,
    WORD,
    CreateIndex,
    IndexKey,
    closing,
    is_name,
    name_text,
    qualified_name_end,
)
from dsql_lint.model import Edit, Source, Statement
from dsql_lint.records import Record
from dsql_lint.text.lexer import Token

#: Words allowed after an index key's expression (besides COLLATE and an operator class).
KEY_OPTION_WORDS = frozenset({"ASC", "DESC", "NULLS", "FIRST", "LAST"})


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class KeyParts(Record):
    """One index key split into its expression and the clauses after it (token indexes)."""

    expr_start: int
    expr_stop: int
    collate: tuple[int, int] | None  # COLLATE keyword .. past the collation name
    opclass: tuple[int, int] | None  # operator class name (with its parameters) range

    def __init__(
        self,
        expr_start: int,
        expr_stop: int,
        collate: tuple[int, int] | None,
        opclass: tuple[int, int] | None,
    ) -> None:
        self.expr_start = expr_start
        self.expr_stop = expr_stop
        self.collate = collate
        self.opclass = opclass


def key_expression_stop(stmt: Statement, start: int, stop: int) -> int:
    """Index just past the key's column, ``(expression)`` or ``function(...)``."""
    tokens = stmt.tokens
    if start >= stop:
        return stop
    first = tokens[start]
    if first.kind is PUNCT and first.text == "(":
        return min(closing(stmt, start) + 1, stop)
    if not is_name(first):
        return start + 1
    j = qualified_name_end(stmt, start)
    if j < stop and tokens[j].kind is PUNCT and tokens[j].text == "(":
        return min(closing(stmt, j) + 1, stop)
    return min(j, stop)


def key_parts(stmt: Statement, key: IndexKey) -> KeyParts:
    """Split an index key into expression, COLLATE clause and operator class."""
    tokens = stmt.tokens
    expr_stop = key_expression_stop(stmt, key.start, key.stop)
    collate = opclass = None
    i = expr_stop
    while i < key.stop:
        tok = tokens[i]
        if tok.is_word("COLLATE"):
            end = qualified_name_end(stmt, i + 1) if i + 1 < key.stop else i + 1
            collate = (i, max(end, i + 1))
            i = collate[1]
            continue
        if tok.kind is WORD and tok.upper in KEY_OPTION_WORDS:
            i += 1
            continue
        if is_name(tok) and opclass is None:
            end = qualified_name_end(stmt, i)
            if end < key.stop and tokens[end].kind is PUNCT and tokens[end].text == "(":
                end = min(closing(stmt, end) + 1, key.stop)
            opclass = (i, end)
            i = end
            continue
        i += 1
    return KeyParts(key.start, expr_stop, collate, opclass)


def key_label(stmt: Statement, parts: KeyParts) -> str:
    """A short name for a key in messages: the column, or ``expression``."""
    if parts.expr_stop - parts.expr_start <= 3 and stmt.tokens[parts.expr_start].text != "(":
        return name_text(stmt, parts.expr_start, parts.expr_stop)
    return "expression"


def tail_start(index: CreateIndex) -> int:
    """Index of the first token after the key list (or after the table name)."""
    return index.close_paren + 1 if index.close_paren != -1 else index.on_index + 1


def delete_clause(source: Source, first: Token, last: Token) -> Edit:
    """Delete tokens ``first`` .. ``last``; a clause alone on its line takes the whole line with it.

    Otherwise it behaves like :func:`dsql_lint.frontend.edits.delete_tokens` (the whitespace before
    the clause goes, so no double space is left).
    """
    text = source.text
    begin = first.start
    while begin > 0 and text[begin - 1] in " \t":
        begin -= 1
    end = last.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if begin > 0 and text[begin - 1] == "\n" and end < len(text) and text[end] in "\r\n":
        return Edit(begin, end + (2 if text.startswith("\r\n", end) else 1), "")
    return delete_tokens(source, first, last)
