"""The lexer against PostgreSQL's own scanner (libpg_query's, through pglast) on generated inputs.

Where a comment or a quoted literal starts and ends decides which statements exist: a
``--`` comment that ran past a carriage return once hid whole statements from the linter
while psql ran them. Any difference between the two scanners on the shapes below is found
here, by a test, rather than by a user.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dsql_lint.text.lexer import TokenKind, tokenize

scan = pytest.importorskip("pglast.parser").scan

#: Pieces of SQL that open, close or hide the things the two scanners must agree on. psql-only
#: syntax is left out: a backslash outside quotes starts a psql meta-command (psql reads the
#: file, so dsql-lint follows psql there), and so are ``:variables`` and ``#``, which dsql-lint
#: reads as a MySQL comment at a statement's start where PostgreSQL sees an operator.
FRAGMENTS = [
    "SELECT", "a", "1", "1.5", " ", "\t", "\n", "\r", "\r\n", ";", "(", ")", ",", "=", "+", "-", "*", "/",
    "--", "-- note", "/*", "*/", "/* c */", "'", "''", "'x'", '"', '"q"', "E'ab'", "$$", "$a$", "$1",
]  # fmt: skip

_COMMENTS = {"SQL_COMMENT": "comment", "C_COMMENT": "comment"}


def _postgresql_spans(text: str) -> list[tuple[int, int, str]] | None:
    """(start, end, what) of the comments and string constants PostgreSQL's scanner sees; None if it fails."""
    try:
        tokens = scan(text)
    except Exception:  # an unterminated literal or comment: the scanner refuses the whole text
        return None
    spans = []
    for tok in tokens:
        if tok.name in _COMMENTS:
            spans.append((tok.start, tok.end + 1, "comment"))
        elif tok.name in ("SCONST", "XCONST", "BCONST", "USCONST"):
            spans.append((tok.start, tok.end + 1, "string"))
    return spans


#: What may stand between two quoted strings that PostgreSQL joins into one constant (its
#: ``quotecontinue``: whitespace holding a newline; PostgreSQL 16's scanner does not join across
#: a ``--`` comment, as ``scan("'ab'\n--\n''")`` shows). dsql-lint keeps the pieces as separate
#: string tokens, which changes nothing about where statements end.
_CONTINUATION = re.compile(r"[ \t\f]*[\n\r][ \t\n\r\f]*")


def _our_spans(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    last_string = -1  # index in spans of the last plain string, while a continuation may follow it
    for tok in tokenize(text):
        if tok.kind is TokenKind.STRING and last_string >= 0 and tok.text.startswith("'"):
            start = spans[last_string][0]
            if _CONTINUATION.fullmatch(text, spans[last_string][1], tok.start):
                del spans[last_string:]
                spans.append((start, tok.end, "string"))
                continue
        if tok.kind in (TokenKind.COMMENT, TokenKind.BLOCK_COMMENT):
            spans.append((tok.start, tok.end, "comment"))
            continue
        if tok.kind in (TokenKind.STRING, TokenKind.DOLLAR):
            spans.append((tok.start, tok.end, "string"))
        last_string = len(spans) - 1 if tok.kind is TokenKind.STRING else -1
    return spans


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=24))
@example(["E'ab'", "\n", "--", "\n", "''"])  # found by this test: no continuation across a comment
def test_comments_and_literals_match_postgresql_scanner(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = _postgresql_spans(text)
    if expected is None:
        return
    assert _our_spans(text) == expected, repr(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT 1; -- note\rCREATE TABLE x (id int);",
        "SELECT 1 -- x\r; COMMIT; SELECT 1 -- y\n;",
        "-- a\r\n-- b\rSELECT 1;",
    ],
)
def test_a_line_comment_ends_at_a_carriage_return_as_in_postgresql(text: str) -> None:
    assert _our_spans(text) == _postgresql_spans(text)
