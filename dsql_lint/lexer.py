"""A PostgreSQL lexer that knows exactly where every token starts and ends.

It is deliberately independent of sqlglot: statement splitting, exact token
positions and suppression comments must work on text that sqlglot cannot parse.
It understands everything psql understands when it decides where a statement
ends: standard and ``E''`` strings, ``B''``/``X''``/``U&''`` strings, dollar
quotes with tags, quoted identifiers, nested block comments, line comments,
psql meta-commands and the data block that follows ``COPY ... FROM STDIN``.
"""

from __future__ import annotations

import re
from enum import Enum


class TokenKind(str, Enum):
    """What a token is; comments and errors are tokens too, whitespace is not."""

    WORD = "word"  # unquoted identifier or keyword
    QIDENT = "qident"  # "quoted identifier" or U&"..."
    STRING = "string"  # '...', E'...', B'...', X'...', U&'...'
    DOLLAR = "dollar"  # $$...$$ or $tag$...$tag$
    NUMBER = "number"
    PARAM = "param"  # $1
    OP = "op"  # operator characters, including :: and :=
    PUNCT = "punct"  # ( ) [ ] , ; .
    COMMENT = "comment"  # -- line comment, or # line comment at a statement start
    BLOCK_COMMENT = "block_comment"  # /* ... */ (nesting respected)
    META = "meta"  # a psql meta-command line: \set, \connect, \copy ...
    COPY_DATA = "copy_data"  # data lines after COPY ... FROM STDIN, up to \.
    ERROR = "error"  # unterminated string, identifier, comment or dollar quote


class Token:
    """One token with its character offsets into the whole source text."""

    __slots__ = ("_upper", "end", "kind", "start", "text")

    def __init__(self, kind: TokenKind, start: int, end: int, text: str) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
        self._upper: str | None = None

    @property
    def upper(self) -> str:
        """Upper-cased text for words (keywords compare on this); raw text otherwise."""
        if self._upper is None:
            self._upper = self.text.upper() if self.kind is TokenKind.WORD else self.text
        return self._upper

    @property
    def is_comment(self) -> bool:
        """True for line and block comments."""
        return self.kind is TokenKind.COMMENT or self.kind is TokenKind.BLOCK_COMMENT

    def is_word(self, *words: str) -> bool:
        """True if this is an unquoted word equal (case-insensitively) to one of ``words``."""
        return self.kind is TokenKind.WORD and self.upper in words

    @property
    def identifier(self) -> str:
        """The identifier this token names, as PostgreSQL folds it."""
        if self.kind is TokenKind.QIDENT:
            body = self.text[1:-1] if self.text.startswith('"') else self.text[3:-1]
            return body.replace('""', '"')
        if self.kind is TokenKind.WORD:
            return self.text.lower()
        return self.text

    def __repr__(self) -> str:
        return f"Token({self.kind.value}, {self.text!r}, {self.start}, {self.end})"


class LexError(Exception):
    """Raised only for internal inconsistencies; user errors become ERROR tokens."""


_OPCHARS = r"(?:[+*<>=~!@#%^&|`?]|-(?!-)|/(?!\*))"
_MASTER = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<line_comment>--[^\n]*)
  | (?P<block_open>/\*)
  | (?P<estring>[eE]'(?:[^'\\]|\\.|'')*')
  | (?P<estring_open>[eE]')
  | (?P<pstring>(?:[bBxXnN]|[uU]&)'(?:[^']|'')*')
  | (?P<string>'(?:[^']|'')*')
  | (?P<qident>(?:[uU]&)?"(?:[^"]|"")*")
  | (?P<dollar_open>\$(?:[^\W\d][\w]*)?\$)
  | (?P<param>\$\d+)
  | (?P<number>(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+
               |(?:\d[\d_]*(?:\.(?!\.)[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?))
  | (?P<word>[^\W\d][\w$]*)
  | (?P<cast>::|:=)
  | (?P<op>"""
    + _OPCHARS
    + r"""+)
  | (?P<punct>[()\[\],;.:])
  | (?P<meta>\\[^\n]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
#: The same alternatives with leading whitespace folded into each match (one match per token, not two).
#: ``other`` cannot start with whitespace here, so ``\s*`` never gives any back; trailing whitespace
#: at the end of the text falls through to ``ws``.
_ALTERNATIVES = _MASTER.pattern.split("(?P<ws>\\s+)", 1)[1].strip().removeprefix("|")
_TOKEN = re.compile(
    r"\s*(?:" + _ALTERNATIVES.replace("(?P<other>.)", "(?P<other>\\S)") + r")|(?P<ws>\s+)",
    re.VERBOSE | re.DOTALL,
)

_KIND_OF_GROUP = {
    "estring": TokenKind.STRING,
    "pstring": TokenKind.STRING,
    "string": TokenKind.STRING,
    "qident": TokenKind.QIDENT,
    "param": TokenKind.PARAM,
    "number": TokenKind.NUMBER,
    "word": TokenKind.WORD,
    "cast": TokenKind.OP,
    "op": TokenKind.OP,
    "punct": TokenKind.PUNCT,
    "other": TokenKind.OP,
}

_COPY_END = re.compile(r"^\\\.[ \t]*\r?$", re.MULTILINE)


def _block_comment_end(text: str, start: int) -> int:
    """End offset of a (possibly nested) block comment opened at ``start``, or -1."""
    depth = 0
    pos = start
    n = len(text)
    while pos < n:
        opening = text.find("/*", pos)
        closing = text.find("*/", pos)
        if closing == -1:
            return -1
        if opening != -1 and opening < closing:
            depth += 1
            pos = opening + 2
        else:
            depth -= 1
            pos = closing + 2
            if depth == 0:
                return pos
    return -1


def _at_line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return text[line_start:pos].strip() == ""


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens (whitespace dropped, comments kept)."""
    tokens: list[Token] = []
    append = tokens.append
    pos = 0
    n = len(text)
    match = _TOKEN.match
    at_statement_start = True
    first_word = ""
    saw_stdin = False
    word = TokenKind.WORD
    while pos < n:
        m = match(text, pos)
        if m is None:  # pragma: no cover - the master pattern always matches one character
            raise LexError(f"no token at offset {pos}")
        group = m.lastgroup or "other"
        end = m.end()
        if group == "word":  # the most common token first
            value = m.group(group)
            pos = end - len(value)
            tok = Token(word, pos, end, value)
            upper = tok._upper = value.upper()
            append(tok)
            if at_statement_start:
                first_word = upper
                at_statement_start = False
            elif upper == "STDIN":
                saw_stdin = True
            pos = end
            continue
        if group == "ws":
            pos = end
            continue
        pos = m.start(group)
        if group == "line_comment":
            append(Token(TokenKind.COMMENT, pos, end, m.group(group)))
        elif group == "block_open":
            close = _block_comment_end(text, pos)
            if close == -1:
                append(Token(TokenKind.ERROR, pos, n, text[pos:]))
                break
            append(Token(TokenKind.BLOCK_COMMENT, pos, close, text[pos:close]))
            end = close
        elif group == "dollar_open":
            tag = m.group(group)
            close = text.find(tag, end)
            if close == -1:
                append(Token(TokenKind.ERROR, pos, n, text[pos:]))
                break
            end = close + len(tag)
            append(Token(TokenKind.DOLLAR, pos, end, text[pos:end]))
            at_statement_start = False
        elif group == "meta":
            append(Token(TokenKind.META, pos, end, m.group(group).rstrip("\r")))
            at_statement_start = True
            first_word = ""
            saw_stdin = False
        elif group == "estring_open" or (group == "other" and text[pos] in "'\""):
            # An opening quote the string patterns could not close: unterminated.
            append(Token(TokenKind.ERROR, pos, n, text[pos:]))
            break
        elif group == "op" and at_statement_start and text[pos] == "#" and _at_line_start(text, pos):
            # MySQL-style '#' line comment before a statement (Atlas' splitter accepts these).
            line_end = text.find("\n", pos)
            end = n if line_end == -1 else line_end
            append(Token(TokenKind.COMMENT, pos, end, text[pos:end]))
        else:
            kind = _KIND_OF_GROUP[group]
            value = m.group(group)
            append(Token(kind, pos, end, value))
            if kind is TokenKind.PUNCT and value == ";":
                if first_word == "COPY" and saw_stdin:
                    end = _copy_data(text, end, append)
                at_statement_start = True
                first_word = ""
                saw_stdin = False
            else:
                if kind is TokenKind.WORD:
                    upper = value.upper()
                    if at_statement_start:
                        first_word = upper
                    elif upper == "STDIN":
                        saw_stdin = True
                at_statement_start = False
        pos = end
    return tokens


def _copy_data(text: str, pos: int, append: object) -> int:
    """Emit the data block after ``COPY ... FROM STDIN;`` and return where SQL resumes."""
    line_end = text.find("\n", pos)
    if line_end == -1:
        return pos
    if text[pos:line_end].strip():
        return pos  # more SQL on the same line: psql would not read data yet
    data_start = line_end + 1
    terminator = _COPY_END.search(text, data_start)
    data_end = terminator.end() if terminator else len(text)
    if data_end > data_start:
        assert callable(append)
        append(Token(TokenKind.COPY_DATA, data_start, data_end, text[data_start:data_end]))
    return data_end
