"""PostgreSQL 16's own grammar as the fast first syntax check of every statement.

DSQL's SQL is PostgreSQL 16's grammar plus ``ASYNC`` in two places. libpg_query
(PostgreSQL's parser compiled as a library, reached through ``pglast``) answers
"does PostgreSQL 16 accept this statement?" in microseconds, where building a
sqlglot tree costs hundreds. So every statement is first checked here:

- accepted: the statement is valid DSQL syntax. No sqlglot tree is built unless
  something reads :attr:`dsql_lint.model.Statement.ast` (rules work from tokens),
  and sqlglot's gaps in PostgreSQL's grammar (XML functions, ``COPY (query) TO`` ...)
  are no longer reported as DSQL001;
- rejected: the statement goes through the sqlglot dialect exactly as before, and
  DSQL001 reports sqlglot's message and position when it fails too.

The text handed to libpg_query differs from the statement only where it must, and
never in length:

- DSQL's ``ASYNC`` (``CREATE [UNIQUE] INDEX ASYNC``, ``ALTER TABLE ASYNC``) is blanked;
- every non-ASCII character becomes ``x``. PostgreSQL's lexer reads any byte above
  127 as an identifier character, and ``x`` is one too, so nothing is read differently.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from dsql_lint.model import Statement

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class PgError(NamedTuple):
    """PostgreSQL's syntax error: its message, and its offset in the statement (None: at the end of it)."""

    message: str
    offset: int | None


class _Library:
    """libpg_query's C entry points in the copy pglast ships, called through ctypes.

    Importing the ``pglast`` package builds its whole Python AST and enum modules
    (~50 ms, a third of a small file's run); the syntax check needs only two C
    functions of libpg_query's public API, ``pg_query_parse`` and
    ``pg_query_free_parse_result``, which pglast's extension exports.
    """

    def __init__(self, path: str) -> None:
        import ctypes

        class ParseError(ctypes.Structure):
            _fields_ = (
                ("message", ctypes.c_char_p),
                ("funcname", ctypes.c_char_p),
                ("filename", ctypes.c_char_p),
                ("lineno", ctypes.c_int),
                ("cursorpos", ctypes.c_int),  # 1-based, in bytes (the text is ASCII: characters)
                ("context", ctypes.c_char_p),
            )

        class ParseResult(ctypes.Structure):
            _fields_ = (
                ("parse_tree", ctypes.c_void_p),
                ("stderr_buffer", ctypes.c_void_p),
                ("error", ctypes.c_void_p),
            )

        self._error_of = lambda address: ctypes.cast(address, ctypes.POINTER(ParseError)).contents

        lib = ctypes.CDLL(path)
        self._parse = lib.pg_query_parse
        self._parse.argtypes = (ctypes.c_char_p,)
        self._parse.restype = ParseResult
        self._free = lib.pg_query_free_parse_result
        self._free.argtypes = (ParseResult,)
        self._free.restype = None

    def accepts(self, text: str) -> bool:
        """True when libpg_query parses ``text`` (ASCII, no NUL) without an error."""
        result = self._parse(text.encode("ascii"))
        try:
            return not result.error
        finally:
            self._free(result)

    def error(self, text: str) -> PgError | None:
        """PostgreSQL's syntax error for ``text`` (ASCII, no NUL), or None when it parses."""
        result = self._parse(text.encode("ascii"))
        try:
            if not result.error:
                return None
            error = self._error_of(result.error)
            message = (error.message or b"syntax error").decode("ascii", "replace")
            return PgError(message, error.cursorpos - 1 if 0 < error.cursorpos <= len(text) else None)
        finally:
            self._free(result)


class _Pglast:
    """The same check through pglast's Python module (where its extension exports no C symbols)."""

    def __init__(self) -> None:
        from pglast import parser

        self._parse = parser.parse_sql_json
        self._errors = (parser.ParseError,)

    def accepts(self, text: str) -> bool:
        """True when libpg_query parses ``text`` without an error."""
        return self.error(text) is None

    def error(self, text: str) -> PgError | None:
        """PostgreSQL's syntax error for ``text`` (ASCII: pglast's offsets are right for it), or None."""
        try:
            self._parse(text)
        except self._errors as exc:
            message = str(exc.args[0]) if exc.args else "syntax error"
            location = exc.args[1] if len(exc.args) > 1 else None
            return PgError(message, location if isinstance(location, int) and 0 <= location < len(text) else None)
        return None


def _extension_path() -> str | None:
    """Where pglast's compiled parser is, found without importing the pglast package."""
    import os
    import sys
    from importlib.machinery import EXTENSION_SUFFIXES

    for entry in sys.path:
        folder = os.path.join(entry or ".", "pglast")
        for suffix in EXTENSION_SUFFIXES:
            candidate = os.path.join(folder, "parser" + suffix)
            if os.path.isfile(candidate):
                return candidate
    return None


def _load() -> _Library | _Pglast | None:
    """The fastest way to ask libpg_query here; None where pglast is missing: then sqlglot decides alone."""
    path = _extension_path()
    if path is not None:
        try:
            return _Library(path)
        except (OSError, AttributeError):  # not loadable, or built without exported symbols
            pass
    try:
        return _Pglast()
    except ImportError:  # pragma: no cover - pglast has wheels for every platform dsql-lint supports
        return None


_PARSER = _load()


def available() -> bool:
    """True when libpg_query can be asked."""
    return _PARSER is not None


def dsql_text(stmt: Statement) -> str | None:
    """The statement as libpg_query should see it (same length), or None if it cannot be asked at all."""
    text = stmt.source.text[stmt.start : stmt.end]
    if "\x00" in text:  # libpg_query reads a C string: it would stop at the NUL
        return None
    for start, end in _async_spans(stmt):
        start -= stmt.start
        end -= stmt.start
        text = text[:start] + " " * (end - start) + text[end:]
    if not text.isascii():
        text = _NON_ASCII.sub("x", text)
    return text


def _async_spans(stmt: Statement) -> list[tuple[int, int]]:
    """Spans of DSQL's ASYNC keyword: right after ``CREATE [UNIQUE] INDEX`` and after ``ALTER TABLE``."""
    words = stmt.words
    if len(words) < 3:
        return []
    at = -1
    if words[0] == "CREATE":
        at = 3 if words[1] == "UNIQUE" else 2
        if len(words) <= at or words[at - 1] != "INDEX":
            return []
    elif words[0] == "ALTER" and words[1] == "TABLE":
        at = 2
    if at < 0 or words[at] != "ASYNC":
        return []
    tok = stmt.tokens[at]
    return [(tok.start, tok.end)]


def accepts(stmt: Statement) -> bool:
    """True when PostgreSQL 16's grammar, with DSQL's ASYNC, accepts ``stmt``; False otherwise or if it cannot ask."""
    parser = _PARSER
    if parser is None:
        return False
    text = dsql_text(stmt)
    if text is None:
        return False
    try:
        return parser.accepts(text)
    except Exception:  # anything else from the library (stack depth, memory): let sqlglot decide
        return False


def error(stmt: Statement) -> PgError | None:
    """PostgreSQL 16's syntax error for ``stmt`` (with DSQL's ASYNC); None when it parses or cannot be asked."""
    parser = _PARSER
    text = dsql_text(stmt) if parser is not None else None
    if parser is None or text is None:
        return None
    try:
        return parser.error(text)
    except Exception:  # anything else from the library: no opinion
        return None


def has_psql_variable(stmt: Statement) -> bool:
    """True for a psql variable (``:name``, ``:'name'``, ``:"name"``) outside brackets (psql replaces it)."""
    text = stmt.source.text
    brackets = 0
    for tok in stmt.tokens:
        if tok.text == "[":
            brackets += 1
        elif tok.text == "]":
            brackets = max(brackets - 1, 0)
        elif tok.text == ":" and brackets == 0:
            after = text[tok.end : tok.end + 1]
            if after and (after.isalpha() or after in "_'\""):
                return True
    return False
