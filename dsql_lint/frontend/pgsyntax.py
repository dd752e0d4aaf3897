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

A file's statements are checked together (:func:`accepted`): their texts, end to end,
go to PostgreSQL's raw parser in one call, which reports where each statement it
parsed begins and ends. A statement is accepted from that answer only when
PostgreSQL's statement has exactly its span; anything else is asked about alone.
Why that gives the same verdict as asking about each statement alone is explained
at :func:`accepted`.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from dsql_lint.model import Statement

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
T = TypeVar("T")


class PgError(NamedTuple):
    """PostgreSQL's syntax error: its message, and its offset in the statement (None: at the end of it)."""

    message: str
    offset: int | None


class Split(NamedTuple):
    """PostgreSQL's raw parse of a text: its statements' spans, or where it failed."""

    #: ``(location, length)`` of each statement as native C ints, end to end; None on a syntax error.
    spans: bytes | None
    #: 0-based offset of the syntax error (None: no error, or PostgreSQL gave no position).
    error_at: int | None


class _Library:
    """libpg_query's C entry points in the copy pglast ships, called through ctypes.

    Importing the ``pglast`` package builds its whole Python AST and enum modules
    (~50 ms, a third of a small file's run); the syntax check needs only a few C
    functions of libpg_query's public API, which pglast's extension exports:
    ``pg_query_split_with_parser`` (PostgreSQL's raw parser; it reports each
    statement's location and length and builds no JSON) to accept, and
    ``pg_query_parse`` for the error of a rejected statement.
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

        class SplitResult(ctypes.Structure):
            _fields_ = (
                ("stmts", ctypes.POINTER(ctypes.c_void_p)),  # n_stmts pointers to {int stmt_location; int stmt_len}
                ("n_stmts", ctypes.c_int),
                ("stderr_buffer", ctypes.c_void_p),
                ("error", ctypes.c_void_p),
            )

        self._error_of = lambda address: ctypes.cast(address, ctypes.POINTER(ParseError)).contents
        self._span_at = (ctypes.c_char * (2 * ctypes.sizeof(ctypes.c_int))).from_address

        lib = ctypes.CDLL(path)
        self._parse = lib.pg_query_parse
        self._parse.argtypes = (ctypes.c_char_p,)
        self._parse.restype = ParseResult
        self._free = lib.pg_query_free_parse_result
        self._free.argtypes = (ParseResult,)
        self._free.restype = None
        self._split = lib.pg_query_split_with_parser
        self._split.argtypes = (ctypes.c_char_p,)
        self._split.restype = SplitResult
        self._free_split = lib.pg_query_free_split_result
        self._free_split.argtypes = (SplitResult,)
        self._free_split.restype = None

    def accepts(self, text: str) -> bool:
        """True when libpg_query parses ``text`` (ASCII, no NUL) without an error.

        ``pg_query_split_with_parser`` and ``pg_query_parse`` both run PostgreSQL's raw
        parser and return its error; the first only skips turning the tree into JSON.
        """
        result = self._split(text.encode("ascii"))
        try:
            return not result.error
        finally:
            self._free_split(result)

    def split(self, text: bytes) -> Split:
        """PostgreSQL's raw parse of ``text`` (ASCII, no NUL, possibly many statements)."""
        result = self._split(text)
        try:
            if result.error:
                cursor = self._error_of(result.error).cursorpos  # 1-based; 0: no position
                return Split(None, cursor - 1 if cursor > 0 else None)
            span_at = self._span_at
            return Split(b"".join([span_at(address).raw for address in result.stmts[: result.n_stmts]]), None)
        finally:
            self._free_split(result)

    def parse_json(self, text: str) -> str | None:
        """libpg_query's JSON parse tree of ``text`` (ASCII, no NUL), or None on a syntax error."""
        import ctypes

        result = self._parse(text.encode("ascii"))
        try:
            if result.error or not result.parse_tree:
                return None
            return ctypes.string_at(result.parse_tree).decode("ascii")
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

    def parse_json(self, text: str) -> str | None:
        """libpg_query's JSON parse tree of ``text``, or None on a syntax error."""
        try:
            return str(self._parse(text))
        except self._errors:
            return None

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
    text = _masked_text(stmt)
    return None if text is None else _ascii(text)


def masked_text(stmt: Statement) -> str | None:
    """The statement's text as PostgreSQL's grammar reads it: DSQL's ASYNC blanked (None with a NUL)."""
    return _masked_text(stmt)


def _masked_text(stmt: Statement) -> str | None:
    """The statement with DSQL's ASYNC blanked (None if it holds a NUL); non-ASCII characters left as they are."""
    text = stmt.source.text[stmt.start : stmt.end]
    if "\x00" in text:  # libpg_query reads a C string: it would stop at the NUL
        return None
    return _blank_async(stmt, text)


def _blank_async(stmt: Statement, text: str) -> str:
    """``text``, the statement's, with DSQL's ASYNC replaced by spaces."""
    for start, end in _async_spans(stmt):
        start -= stmt.start
        end -= stmt.start
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _ascii(text: str) -> str:
    """``text`` with every non-ASCII character replaced by ``x`` (an identifier character to PostgreSQL too)."""
    return text if text.isascii() else _NON_ASCII.sub("x", text)


_ASYNC_LEADERS = frozenset({"CREATE", "ALTER"})


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
    return _accepts(parser, text)


#: Statements checked in one call at most: the parser keeps every statement's tree until it returns.
_MOST_TOGETHER = 500


def accepted(stmts: Sequence[Statement], parser: _Library | _Pglast | None = None) -> list[bool]:
    """:func:`accepts` for each statement, asking libpg_query about many of them in one call.

    The statements' texts (:func:`dsql_text`) are joined end to end into one text;
    PostgreSQL's raw parser reads it as a list of statements, each ending at a
    top-level ``;``, and reports every statement's location and length. A
    statement is accepted from this answer only when one of PostgreSQL's
    statements has exactly its span: from its first character to its own final
    ``;`` (the last one of a text may have none: to the end). Then the verdict is
    the one PostgreSQL gives the statement alone:

    - lexing: PostgreSQL's statement starts right after a top-level ``;`` token (or
      at the start), so its lexer starts there in its initial state, as it does on
      the statement alone; a token never extends past a ``;`` that PostgreSQL reads
      as a token, so the statement's tokens are the same, up to that ``;``. (A
      statement PostgreSQL would lex differently, e.g. an unterminated quote that
      swallows the next statements, is not read as one statement with this span.)
    - parsing: an LR parser's moves depend on its states and the next token only.
      The states reached from the start of a text and right after a top-level ``;``
      differ only in what the statement is reduced onto, so the parser takes the
      same steps through the statement's tokens, the ``;`` included, alone or not.
      After that ``;``, the end of the text is always accepted (an empty statement).
      The statement without a ``;`` is last in its text: followed by the end there too.

    When the joined text fails to parse, its error position points at a statement:
    those before it are asked again together (statements before an error are not
    taken on trust: an earlier statement may have swallowed the later ones), the
    one at the error is asked alone, and those after it together.

    A statement without a final ``;`` ends a joined text, and so does the
    ``_MOST_TOGETHER``-th; one PostgreSQL cannot be asked about (a NUL) is in none.
    ``parser`` is for tests (default: the one loaded here); pglast's Python module
    reports no exact spans, so there every statement is asked alone.
    """
    if parser is None:
        parser = _PARSER
    verdicts = [False] * len(stmts)
    if parser is None:
        return verdicts
    if not isinstance(parser, _Library):
        for i, stmt in enumerate(stmts):
            text = dsql_text(stmt)
            if text is not None:
                verdicts[i] = _accepts(parser, text)
        return verdicts

    def masked() -> Iterator[tuple[int, str]]:
        for i, stmt in enumerate(stmts):
            text = stmt.source.text[stmt.start : stmt.end]
            if "\x00" in text:
                continue  # cannot be asked: not accepted
            words = stmt.words
            if words and words[0] in _ASYNC_LEADERS:
                text = _blank_async(stmt, text)
            yield i, text

    for run, texts in joinable_runs(masked()):
        _check_together(parser, run, texts, verdicts)
    return verdicts


def joinable_runs(items: Iterable[tuple[T, str]]) -> Iterator[tuple[list[T], list[str]]]:
    """``(item, statement text)`` pairs in runs whose texts can be joined end to end for one parser
    call (:func:`accepted`, and the parse trees of :mod:`dsql_lint.frontend.tree`): a run ends after a text
    without a final ``;`` (nothing may follow it) and at its ``_MOST_TOGETHER``-th text."""
    run: list[T] = []
    texts: list[str] = []
    for item, text in items:
        run.append(item)
        texts.append(text)
        if not text.endswith(";") or len(run) == _MOST_TOGETHER:
            yield run, texts
            run, texts = [], []
    if run:
        yield run, texts


def _accepts(parser: _Library | _Pglast, text: str) -> bool:
    try:
        return parser.accepts(text)
    except Exception:  # anything else from the library (stack depth, memory): let sqlglot decide
        return False


def _check_together(
    parser: _Library, run: list[int], texts: list[str], verdicts: list[bool], *, retry: bool = True
) -> None:
    """Set ``verdicts[run[n]]`` from PostgreSQL's parse of ``texts`` (masked; only the last may lack a final ``;``).

    ``retry``: on a syntax error, the statements before it are checked together again (else alone).
    """
    while len(run) > 1:
        joined = _ascii("".join(texts))
        starts = list(accumulate(map(len, texts), initial=0))
        del starts[-1]
        expected = array("i", starts) * 2  # (location, length) of each statement
        expected[0::2] = array("i", starts)
        expected[1::2] = array("i", [len(text) - 1 for text in texts])  # up to its final ';'
        if not texts[-1].endswith(";"):
            expected[-1] += 1  # the last statement may have none: to the end
        try:
            result = parser.split(joined.encode("ascii"))
        except Exception:  # anything else from the library: ask each statement alone
            result = Split(None, None)
        if result.spans is not None:
            if result.spans == expected.tobytes():
                for i in run:
                    verdicts[i] = True
                return
            theirs = array("i")
            theirs.frombytes(result.spans)
            found = set(zip(theirs[0::2], theirs[1::2], strict=True))
            for n, i in enumerate(run):
                verdicts[i] = (expected[2 * n], expected[2 * n + 1]) in found or _accepts(parser, _ascii(texts[n]))
            return
        if result.error_at is None:
            break
        failed = max(bisect_right(starts, result.error_at) - 1, 0)
        if failed and retry:
            _check_together(parser, run[:failed], texts[:failed], verdicts, retry=False)
        else:
            for n in range(failed):
                verdicts[run[n]] = _accepts(parser, _ascii(texts[n]))
        verdicts[run[failed]] = _accepts(parser, _ascii(texts[failed]))
        run, texts = run[failed + 1 :], texts[failed + 1 :]
    for i, text in zip(run, texts, strict=True):
        verdicts[i] = _accepts(parser, _ascii(text))


def parse_json(text: str) -> str | None:
    """libpg_query's JSON tree of ``text`` (ASCII-masked, see :func:`dsql_text`); None when it cannot be had."""
    parser = _PARSER
    if parser is None:
        return None
    try:
        return parser.parse_json(text)
    except Exception:  # anything else from the library (stack depth, memory): no tree
        return None


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
