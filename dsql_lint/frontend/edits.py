"""Small builders for the text edits that fixes are made of."""

from __future__ import annotations

from dsql_lint.model import Edit, Fix, FixSafety, Source, Statement
from dsql_lint.text.lexer import Token


def insert_after(tok: Token, text: str) -> Edit:
    """Insert ``text`` right after a token."""
    return Edit(tok.end, tok.end, text)


def insert_before(tok: Token, text: str) -> Edit:
    """Insert ``text`` right before a token."""
    return Edit(tok.start, tok.start, text)


def replace_token(tok: Token, text: str) -> Edit:
    """Replace a token's text."""
    return Edit(tok.start, tok.end, text)


def delete_token(source: Source, tok: Token) -> Edit:
    """Delete a token and the horizontal whitespace before it (so no double space is left)."""
    text = source.text
    start = tok.start
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if (start > 0 and text[start - 1] in "\n\r") or start == 0:
        # The token starts a line: remove the whitespace after it instead.
        start = tok.start
        end = tok.end
        while end < len(text) and text[end] in " \t":
            end += 1
        return Edit(start, end, "")
    return Edit(start, tok.end, "")


def delete_tokens(source: Source, first: Token, last: Token) -> Edit:
    """Delete the tokens ``first`` .. ``last`` (and what lies between) like :func:`delete_token`."""
    return _delete_span(source, first.start, last.end)


def _delete_span(source: Source, start: int, end: int) -> Edit:
    text = source.text
    begin = start
    while begin > 0 and text[begin - 1] in " \t":
        begin -= 1
    if begin == 0 or text[begin - 1] in "\n\r":
        stop = end
        while stop < len(text) and text[stop] in " \t":
            stop += 1
        return Edit(start, stop, "")
    return Edit(begin, end, "")


def fix(title: str, safety: FixSafety, *edits: Edit) -> Fix:
    """A fix made of ``edits`` (sorted by position)."""
    return Fix(tuple(sorted(edits, key=lambda e: (e.start, e.end))), safety, title)


def delete_statement(stmt: Statement) -> Edit:
    """Delete a whole statement with its ``;``; the line too when the statement stands alone on it."""
    text = stmt.source.text
    start, end = stmt.start, stmt.end
    begin = start
    while begin > 0 and text[begin - 1] in " \t":
        begin -= 1
    stop = end
    while stop < len(text) and text[stop] in " \t":
        stop += 1
    if (begin == 0 or text[begin - 1] in "\n\r") and (stop == len(text) or text[stop] in "\n\r"):
        if text.startswith("\r\n", stop):
            stop += 2
        elif stop < len(text):
            stop += 1
        return Edit(begin, stop, "")
    return Edit(start, stop if stop == len(text) or text[stop] in "\n\r" else end, "")
