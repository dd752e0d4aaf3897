"""Frozen reference copy of the front of the pipeline as it was before the speed work.

``tokenize``, ``split`` and ``command_tag``/``kind_of_tag``/``classify`` below are the
implementations of ``dsql_lint/text/lexer.py``, ``split.py`` and ``classify.py`` at commit
1db8286, kept verbatim so that ``tests/test_frontend_equivalence.py`` can prove the
optimised versions produce the same tokens, statements and tags. Do not "fix" this file:
it is the oracle. Two deliberate differences: the imports are adapted, and a psql
meta-command line whose backslash is followed by whitespace gets the tag ``"\\"``
(the original raised IndexError; fixed the same way in ``split.py``).
"""

# ruff: noqa

from __future__ import annotations

import re

from dsql_lint.text.lexer import TokenKind
from dsql_lint.model import Kind, Statement
from dsql_lint.text.source import Source


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
  | (?P<line_comment>--[^\n\r]*)  # PostgreSQL's scanner: non_newline is [^\n\r]
  | (?P<block_open>/\*)
  | (?P<estring>[eE]'(?:[^'\\]|\\.|'')*')
  | (?P<estring_open>[eE]')
  | (?P<pstring>[bBxX]'[^']*'|(?:[nN]|[uU]&)'(?:[^']|'')*')  # bit strings take no '' (scan.l: xqdouble)
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
            meta = m.group(group).rstrip("\r")
            append(Token(TokenKind.META, pos, pos + len(meta), meta))
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


# Words between CREATE and the object type that do not change the object type.
_CREATE_MODIFIERS = frozenset(
    {
        "OR",
        "REPLACE",
        "GLOBAL",
        "LOCAL",
        "TEMP",
        "TEMPORARY",
        "UNLOGGED",
        "UNIQUE",
        "CONSTRAINT",
        "RECURSIVE",
        "TRUSTED",
        "PROCEDURAL",
        "DEFAULT",
    }
)

# Object types written with more than one word, longest first.
_MULTIWORD_OBJECTS: tuple[tuple[str, ...], ...] = (
    ("FOREIGN", "DATA", "WRAPPER"),
    ("TEXT", "SEARCH", "CONFIGURATION"),
    ("TEXT", "SEARCH", "DICTIONARY"),
    ("TEXT", "SEARCH", "PARSER"),
    ("TEXT", "SEARCH", "TEMPLATE"),
    ("MATERIALIZED", "VIEW"),
    ("FOREIGN", "TABLE"),
    ("EVENT", "TRIGGER"),
    ("ACCESS", "METHOD"),
    ("USER", "MAPPING"),
    ("OPERATOR", "CLASS"),
    ("OPERATOR", "FAMILY"),
    ("DEFAULT", "PRIVILEGES"),
    ("PROPERTY", "GRAPH"),
    ("LARGE", "OBJECT"),
    ("ROUTINE",),
)

_DDL_LEADERS = frozenset(
    {"CREATE", "ALTER", "DROP", "COMMENT", "GRANT", "REVOKE", "SECURITY", "REFRESH", "IMPORT", "REASSIGN"}
)
_DML_LEADERS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY"})
_QUERY_LEADERS = frozenset({"SELECT", "VALUES", "TABLE", "EXPLAIN", "FETCH", "MOVE"})
_SESSION_LEADERS = frozenset(
    {
        "SET",
        "RESET",
        "SHOW",
        "DISCARD",
        "PREPARE",
        "EXECUTE",
        "DEALLOCATE",
        "DECLARE",
        "CLOSE",
        "LISTEN",
        "NOTIFY",
        "UNLISTEN",
        "LOCK",
        "VACUUM",
        "ANALYZE",
        "ANALYSE",
        "CHECKPOINT",
        "LOAD",
        "DO",
        "CALL",
        "CLUSTER",
        "REINDEX",
    }
)


def _object_words(words: list[str], i: int) -> tuple[str, ...]:
    for multi in _MULTIWORD_OBJECTS:
        if tuple(words[i : i + len(multi)]) == multi:
            return multi
    return (words[i],) if i < len(words) else ()


def command_tag(stmt: Statement) -> str:
    """The PostgreSQL-style command tag of a statement, e.g. ``CREATE INDEX``."""
    tokens = stmt.tokens
    words = stmt.words
    i = 0
    while i < len(tokens) and tokens[i].kind is TokenKind.PUNCT and tokens[i].text == "(":
        i += 1  # (SELECT ...) UNION ...
    if i >= len(tokens) or tokens[i].kind is not TokenKind.WORD:
        return ""
    first = words[i]
    second = words[i + 1] if i + 1 < len(words) and tokens[i + 1].kind is TokenKind.WORD else ""
    if first == "CREATE":
        j = i + 1
        while j < len(words) and words[j] in _CREATE_MODIFIERS and tokens[j].kind is TokenKind.WORD:
            if words[j] == "DEFAULT" and j + 1 < len(words) and words[j + 1] == "PRIVILEGES":
                break
            j += 1
        return " ".join(("CREATE", *_object_words(words, j)))
    if first in ("ALTER", "DROP"):
        if first == "DROP" and second == "OWNED":
            return "DROP OWNED"
        return " ".join((first, *_object_words(words, i + 1)))
    if first == "AWS" and second == "IAM" and i + 2 < len(words) and words[i + 2] in ("GRANT", "REVOKE"):
        return f"AWS IAM {words[i + 2]}"
    if first in ("BEGIN", "START"):
        return "BEGIN"
    if first in ("COMMIT", "END"):
        return "COMMIT PREPARED" if second == "PREPARED" else "COMMIT"
    if first in ("ROLLBACK", "ABORT"):
        if second == "PREPARED":
            return "ROLLBACK PREPARED"
        if stmt.find("TO", start=i + 1, stop=i + 4) != -1:
            return "ROLLBACK TO"
        return "ROLLBACK"
    if first == "RELEASE":
        return "RELEASE"
    if first == "PREPARE" and second == "TRANSACTION":
        return "PREPARE TRANSACTION"
    if first == "SET" and second in ("TRANSACTION", "CONSTRAINTS", "ROLE"):
        return f"SET {second}"
    if first == "SET" and second == "SESSION" and stmt.find("CHARACTERISTICS", start=i + 2, stop=i + 4) != -1:
        return "SET SESSION CHARACTERISTICS"
    if first == "SECURITY":
        return "SECURITY LABEL"
    if first == "REFRESH":
        return "REFRESH MATERIALIZED VIEW"
    if first == "IMPORT":
        return "IMPORT FOREIGN SCHEMA"
    if first == "REASSIGN":
        return "REASSIGN OWNED"
    if first == "COMMENT":
        return "COMMENT"
    if first == "WITH":
        return _with_tag(stmt, i)
    if first == "SELECT" and _select_into(stmt, i):
        return "SELECT INTO"
    if first == "ANALYSE":
        return "ANALYZE"
    return first


def _with_tag(stmt: Statement, i: int) -> str:
    depths = stmt.depths
    base = depths[i]
    for j in range(i + 1, len(stmt.tokens)):
        if (
            depths[j] == base
            and stmt.tokens[j].kind is TokenKind.WORD
            and stmt.words[j] in ("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "TABLE")
        ):
            if stmt.words[j] == "SELECT" and _select_into(stmt, j):
                return "SELECT INTO"
            return stmt.words[j]
    return "WITH"


def _select_into(stmt: Statement, i: int) -> bool:
    depth = stmt.depths[i]
    j = stmt.find("INTO", start=i + 1, depth=depth)
    if j == -1:
        return False
    k = stmt.find("FROM", start=i + 1, depth=depth)
    return k == -1 or j < k


def _has_data_modifying_cte(stmt: Statement) -> bool:
    for j, tok in enumerate(stmt.tokens):
        if (
            tok.kind is TokenKind.WORD
            and stmt.words[j] in ("INSERT", "UPDATE", "DELETE", "MERGE")
            and j > 0
            and stmt.tokens[j - 1].text == "("
            and stmt.depths[j] > 0
        ):
            return True
    return False


def kind_of_tag(stmt: Statement, tag: str) -> Kind:
    """The statement kind implied by its tag (and, for COPY and EXPLAIN, its direction)."""
    leader = tag.split(" ", 1)[0] if tag else ""
    if tag in (
        "BEGIN",
        "COMMIT",
        "ROLLBACK",
        "ROLLBACK TO",
        "SAVEPOINT",
        "RELEASE",
        "PREPARE TRANSACTION",
        "COMMIT PREPARED",
        "ROLLBACK PREPARED",
    ):
        return Kind.TCL
    if tag == "SELECT INTO":
        return Kind.DDL
    if tag == "ALTER SYSTEM":
        return Kind.SESSION
    if tag.startswith("AWS IAM "):  # DSQL's role mapping, like GRANT (added with the rule coverage of 2026-12)
        return Kind.DDL
    if leader in _DDL_LEADERS:
        return Kind.DDL
    if leader == "COPY":
        return Kind.DML if stmt.has("FROM") else Kind.QUERY
    if leader in _DML_LEADERS:
        return Kind.DML
    if leader in _QUERY_LEADERS:
        if leader == "EXPLAIN" and stmt.has("ANALYZE") and any(w in stmt.words for w in _DML_LEADERS):
            return Kind.DML
        if stmt.words and stmt.words[0] == "WITH" and _has_data_modifying_cte(stmt):
            return Kind.DML
        return Kind.QUERY
    if leader in _SESSION_LEADERS:
        return Kind.SESSION
    return Kind.UNKNOWN


def classify(stmt: Statement) -> None:
    """Set ``stmt.tag`` and ``stmt.kind`` from the statement's leading tokens."""
    if stmt.kind in (Kind.PSQL_META, Kind.COPY_DATA):
        return
    stmt.tag = command_tag(stmt)
    stmt.kind = kind_of_tag(stmt, stmt.tag)
