"""Split a source into statements the way psql does.

A semicolon ends a statement only outside parentheses and outside a
``BEGIN ATOMIC ... END`` function body (where ``CASE ... END`` nests), exactly
like psql's own lexer. psql meta-command lines and ``COPY ... FROM STDIN`` data
blocks become statements of their own kinds so that they are never parsed as SQL.
"""

from __future__ import annotations

from dsql_lint.lexer import Token, TokenKind, tokenize
from dsql_lint.model import Kind, Statement
from dsql_lint.source import Source


def split(source: Source, tokens: list[Token] | None = None) -> list[Statement]:
    """Statements of ``source`` in order, each with its exact character span."""
    if tokens is None:
        tokens = tokenize(source.text)
    statements: list[Statement] = []
    current: list[Token] = []
    comments: list[Token] = []
    leading: list[Token] = []
    paren_depth = 0
    in_atomic = False
    case_depth = 0

    def flush(terminator: Token | None) -> None:
        nonlocal current, comments, leading, paren_depth, in_atomic, case_depth
        if current:
            end = terminator.end if terminator else current[-1].end
            statements.append(
                Statement(
                    source=source,
                    index=len(statements),
                    start=current[0].start,
                    end=end,
                    tokens=current,
                    comments=comments,
                    leading_comments=leading,
                    terminator=terminator,
                )
            )
            leading = []
        current = []
        comments = []
        paren_depth = 0
        in_atomic = False
        case_depth = 0

    for tok in tokens:
        kind = tok.kind
        if kind is TokenKind.COMMENT or kind is TokenKind.BLOCK_COMMENT:
            (comments if current else leading).append(tok)
            continue
        if kind is TokenKind.META or kind is TokenKind.COPY_DATA:
            flush(None)
            statements.append(
                Statement(
                    source=source,
                    index=len(statements),
                    start=tok.start,
                    end=tok.end,
                    tokens=[tok],
                    leading_comments=leading,
                    kind=Kind.PSQL_META if kind is TokenKind.META else Kind.COPY_DATA,
                    tag="\\" + "".join(tok.text[1:].split(None, 1)[:1]) if kind is TokenKind.META else "COPY DATA",
                )
            )
            leading = []
            continue
        if kind is TokenKind.PUNCT:
            text = tok.text
            if text == ";":
                if paren_depth == 0 and not in_atomic:
                    flush(tok)
                    continue
            elif text in "([":
                paren_depth += 1
            elif text in ")]":
                paren_depth = max(paren_depth - 1, 0)
        elif kind is TokenKind.WORD:
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
        current.append(tok)
    flush(None)
    return statements
