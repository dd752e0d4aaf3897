"""Split a source into statements the way psql does.

A semicolon ends a statement only outside parentheses and outside a
``BEGIN ATOMIC ... END`` function body (where ``CASE ... END`` nests), exactly
like psql's own lexer. psql meta-command lines and ``COPY ... FROM STDIN`` data
blocks become statements of their own kinds so that they are never parsed as SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from dsql_lint.model import Kind, Statement
from dsql_lint.text.lexer import BLOCK_COMMENT, COMMENT, COPY_DATA, META, PUNCT, WORD, Token, tokens_of
from dsql_lint.text.source import Source


def split(
    source: Source, tokens: Sequence[Token] | None = None, markers: re.Pattern[str] | None = None
) -> list[Statement]:
    """Statements of ``source`` in order, each with its exact character span.

    ``markers`` matches the line comments at which a migration tool cuts the file into
    sections (dbmate's ``-- migrate:down``, goose's ``-- +goose Down``): such a comment at
    the start of a line ends the statement before it, even without a semicolon, as the
    tool sends each section on its own.
    """
    if tokens is None:
        tokens = tokens_of(source.text)
    # A word can only open a BEGIN ATOMIC body if the text spells ATOMIC somewhere (upper() maps
    # character by character, so a word's upper-cased text is a piece of the text's).
    atomic_possible = "ATOMIC" in source.text.upper()
    statements: list[Statement] = []
    # A statement's tokens are gathered in a list, or from a big text's packed tokens (dsql_lint.text.packed).
    fresh: Callable[[], Any] = list
    done: Callable[[Any], Sequence[Token]] = _as_is
    packed = type(tokens) is not list
    if packed:  # a big text's packed tokens (dsql_lint.text.packed)
        from dsql_lint.text.packed import Gathering, PackedTokens

        assert isinstance(tokens, PackedTokens)
        fresh = tokens.gathering
        done = Gathering.done
    current = fresh()
    append = current.append
    comments: list[Token] = []
    leading: list[Token] = []
    paren_depth = 0
    in_atomic = False
    case_depth = 0

    for tok in tokens:
        kind = tok.kind
        if kind is WORD:
            if atomic_possible:
                upper = tok.upper
                if in_atomic:
                    if upper == "CASE":
                        case_depth += 1
                    elif upper == "END":
                        if case_depth:
                            case_depth -= 1
                        else:
                            in_atomic = False
                elif upper == "ATOMIC" and current and current[-1].is_word("BEGIN") and current[0].is_word("CREATE"):
                    in_atomic = True
                    case_depth = 0
            append(tok)
            continue
        if kind is PUNCT:
            text = tok.text
            if text == ";":
                if paren_depth == 0 and not in_atomic:
                    # The statement ends here (an empty one is dropped, its leading comments kept).
                    if current:
                        # Positional arguments (source, index, start, end, tokens, comments,
                        # leading_comments, terminator): a keyword call costs noticeably more per
                        # statement; tests/test_frontend_equivalence.py compares every field.
                        statements.append(
                            Statement(
                                source,
                                len(statements),
                                current[0].start,
                                tok.start + 1,  # just past the ';' (Token.end)
                                done(current) if packed else current,
                                comments,
                                leading,
                                tok,
                            )
                        )
                        leading = []
                        current = fresh()
                        append = current.append
                        comments = []
                    continue
            elif text == "(" or text == "[":
                paren_depth += 1
            elif (text == ")" or text == "]") and paren_depth:
                paren_depth -= 1
            append(tok)
            continue
        if kind is COMMENT or kind is BLOCK_COMMENT:
            if markers is not None and current and kind is COMMENT and _is_marker(source.text, tok, markers):
                statements.append(_pending(source, len(statements), done(current), comments, leading))
                leading = []
                current = fresh()
                append = current.append
                comments = []
                paren_depth = 0
                in_atomic = False
            (comments if current else leading).append(tok)
            continue
        if kind is META or kind is COPY_DATA:
            if current:
                statements.append(_pending(source, len(statements), done(current), comments, leading))
                leading = []
                current = fresh()
                append = current.append
                comments = []
            paren_depth = 0
            in_atomic = False
            statements.append(
                Statement(
                    source=source,
                    index=len(statements),
                    start=tok.start,
                    end=tok.end,
                    tokens=[tok],
                    leading_comments=leading,
                    kind=Kind.PSQL_META if kind is META else Kind.COPY_DATA,
                    tag="\\" + "".join(tok.text[1:].split(None, 1)[:1]) if kind is META else "COPY DATA",
                )
            )
            leading = []
            continue
        append(tok)
    if current:
        statements.append(_pending(source, len(statements), done(current), comments, leading))
    return statements


def _as_is(tokens: list[Token]) -> list[Token]:
    return tokens


def _is_marker(text: str, tok: Token, markers: re.Pattern[str]) -> bool:
    """True when the line comment ``tok`` starts its line and is a migration tool's section marker."""
    return (tok.start == 0 or text[tok.start - 1] in "\n\r") and markers.match(tok.text) is not None


def _pending(
    source: Source, index: int, tokens: Sequence[Token], comments: list[Token], leading: list[Token]
) -> Statement:
    """The statement made of the tokens gathered so far (at a psql meta line, or at the end of the text)."""
    return Statement(
        source=source,
        index=index,
        start=tokens[0].start,
        end=tokens[-1].end,
        tokens=tokens,
        comments=comments,
        leading_comments=leading,
    )
