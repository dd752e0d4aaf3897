"""A PostgreSQL lexer that knows exactly where every token starts and ends.

It is deliberately independent of sqlglot: statement splitting, exact token
positions and suppression comments must work on text that sqlglot cannot parse.
It understands everything psql understands when it decides where a statement
ends: standard and ``E''`` strings, ``B''``/``X''``/``U&''`` strings, dollar
quotes with tags, quoted identifiers, nested block comments, line comments,
psql meta-commands and the data block that follows ``COPY ... FROM STDIN``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from enum import Enum
from itertools import islice, repeat
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:  # types only: a Protocol class costs its creation at every start-up
    from typing import Protocol, TypeVar

    class _Tokens(Protocol):
        """Where tokens go: a list, or an array store (:class:`dsql_lint.text.packed.TokenStore`)."""

        def append(self, tok: Token, /) -> None: ...
        def __iadd__(self, batch: list[Token], /) -> _Tokens: ...
        def pop(self) -> Token: ...
        def __len__(self) -> int: ...
        def __getitem__(self, i: int, /) -> Token: ...

    _T = TypeVar("_T", bound=_Tokens)


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


# Every kind as a module constant, for this module and every one that tests kinds: a member read
# through its class (``TokenKind.WORD``) goes through EnumType.__getattr__ on Python 3.11, about
# 80 ns a read against 10 for a global, and hot code tests the kind of nearly every token.
WORD = TokenKind.WORD
QIDENT = TokenKind.QIDENT
STRING = TokenKind.STRING
DOLLAR = TokenKind.DOLLAR
NUMBER = TokenKind.NUMBER
PARAM = TokenKind.PARAM
OP = TokenKind.OP
PUNCT = TokenKind.PUNCT
COMMENT = TokenKind.COMMENT
BLOCK_COMMENT = TokenKind.BLOCK_COMMENT
META = TokenKind.META
COPY_DATA = TokenKind.COPY_DATA
ERROR = TokenKind.ERROR


class Token:
    """One token with its character offsets into the whole source text."""

    # No ``end`` slot: a token is exactly its slice of the text, so the end is ``start + len(text)``;
    # four slots instead of five make a token 64 bytes instead of 80 (millions in a big INSERT).
    __slots__ = ("kind", "start", "text", "upper")

    def __init__(self, kind: TokenKind, start: int, end: int, text: str, upper: str | None = None) -> None:
        if end - start != len(text):
            raise LexError(f"a token's text is its slice of the source: {start}..{end} is not {text!r}")
        self.kind = kind
        self.start = start
        self.text = text
        #: Upper-cased text for words (keywords compare on this); the raw text otherwise.
        self.upper: str = (text.upper() if kind is WORD else text) if upper is None else upper

    @property
    def end(self) -> int:
        """Offset just past the token."""
        return self.start + len(self.text)

    @property
    def is_comment(self) -> bool:
        """True for line and block comments."""
        return self.kind is COMMENT or self.kind is BLOCK_COMMENT

    def is_word(self, *words: str) -> bool:
        """True if this is an unquoted word equal (case-insensitively) to one of ``words``."""
        return self.kind is WORD and self.upper in words

    @property
    def identifier(self) -> str:
        """The identifier this token names, as PostgreSQL folds it."""
        kind = self.kind
        if kind is QIDENT:
            body = self.text[1:-1] if self.text.startswith('"') else self.text[3:-1]
            return body.replace('""', '"')
        if kind is WORD:
            return self.text.lower()
        return self.text

    def __repr__(self) -> str:
        return f"Token({self.kind.value}, {self.text!r}, {self.start}, {self.end})"


#: Texts of at least this many characters keep their tokens in arrays (:func:`tokens_of`).
PACK_FROM = 1 << 21


def tokens_of(text: str) -> Sequence[Token]:
    """Every token of ``text``: a list, or from :data:`PACK_FROM` characters on a
    :class:`dsql_lint.text.packed.PackedTokens` (imported only then: most runs never pack)."""
    if len(text) < PACK_FROM:
        return tokenize(text)
    from dsql_lint.text.packed import pack

    return pack(text)


class LexError(Exception):
    """Raised only for internal inconsistencies; user errors become ERROR tokens."""


_OPCHARS = r"(?:[+*<>=~!@#%^&|`?]|-(?!-)|/(?!\*))"

# The token grammar, in the order psql's lexer prefers alternatives. The slow path
# (``_tokenize_stateful``) matches it one token at a time; the fast path uses ``_FAST``,
# the same alternatives regrouped for ``findall``. Kept as text: only the slow path compiles it
# (into ``_TOKEN_PATTERN``), and compiling costs ~3 ms of every run's start-up.
#: The quoted alternatives take a run of ordinary characters at once (``[^']*+``): one
#: alternative per character (``(?:[^']|'')*``) kept a backtracking state per character, and
#: an unterminated 5 MB string took 1.5 GB to fail.
_MASTER = (
    r"""
    (?P<ws>\s+)
  | (?P<line_comment>--[^\n\r]*+)
  | (?P<block_open>/\*)
  | (?P<estring>[eE]'[^'\\]*+(?:(?:\\.|'')[^'\\]*+)*')
  | (?P<estring_open>[eE]')
  | (?P<pstring>[bBxX]'[^']*+'|(?:[nN]|[uU]&)'[^']*+(?:''[^']*+)*')
  | (?P<string>'[^']*+(?:''[^']*+)*')
  | (?P<qident>(?:[uU]&)?"[^"]*+(?:""[^"]*+)*")
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
    """
)
#: The same alternatives with leading whitespace folded into each match (one match per token, not two).
#: ``other`` cannot start with whitespace here, so ``\s*`` never gives any back; trailing whitespace
#: at the end of the text falls through to ``ws``.
_ALTERNATIVES = _MASTER.split("(?P<ws>\\s+)", 1)[1].strip().removeprefix("|")
_TOKEN_PATTERN = r"\s*(?:" + _ALTERNATIVES.replace("(?P<other>.)", "(?P<other>\\S)") + r")|(?P<ws>\s+)"
_TOKEN: list[re.Pattern[str]] = []  # the compiled pattern, once the slow path first needs it


def _token_pattern() -> re.Pattern[str]:
    if not _TOKEN:
        _TOKEN.append(re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL))
    return _TOKEN[0]


#: One token with the whitespace before it, for ``findall`` (which then returns one string per
#: token). Alternatives come in psql's order of preference; words come first (half of all
#: tokens) unless they open a prefixed string (``E'``, ``B'``, ``X'``, ``N'``, ``U&'``, ``U&"``).
#: A dollar quote, a block comment that nests and an unterminated literal or comment match
#: from their opening to the end of the text: ``findall`` stops there, and ``tokenize`` looks
#: at that last token closely. The two dollar quotes that most functions use, ``$$`` and
#: ``$_$`` (pg_dump's), are matched whole, up to the first closing tag as ``str.find`` finds
#: it: each one that ran to the end copied the rest of the text twice (``findall``, then
#: ``lstrip``), which made a big file of functions quadratic (other tags: see
#: :func:`_fast_with`). Every non-space character starts a match, so the matches tile the text
#: (only trailing whitespace is skipped) and offsets are running sums of lengths.
_OPCHAR = r"(?:[+*<>=~!@#%^&|`?]|-(?!-)|/(?!\*))"
#: A word character (``\w`` or ``$``), ASCII ones spelled out: the regex engine then finds them in
#: a bitmap instead of asking the Unicode database for every character of every word.
_WORD_CHAR = r"[0-9A-Za-z_$\w]"
_FAST_SOURCE = (
    # Each alternative starts with a literal or a character class, which lets the regex engine
    # skip it after one look at the character; the most frequent come first. Words starting with
    # e, b, x, n or u (the letters that may open a prefixed string) come second when the next
    # character is a word character too (then no prefixed string can start there), and last
    # otherwise. A repetition with nothing after it in its alternative, or followed by
    # something it cannot match, is possessive (``*+``): the same matches, but the engine keeps
    # no backtracking state (a repetition that could have to give some back, such as the
    # doubled quotes of a string, is not possessive).
    r"""
    \s*+
    (?:[ACDF-MO-TVWYZacdf-mo-tvwyz_]"""
    + _WORD_CHAR
    + r"""*+
    | [(),;]
    | [bBeEnNuUxX]"""
    + _WORD_CHAR
    + r"""++
    | '[^']*+(?:''[^']*+)*'
    | --[^\n\r]*+
    | /\*[^*/]*+(?:(?:\*(?!/)|/(?!\*))[^*/]*+)*+\*/
    | [eE]'[^'\\]*+(?:(?:\\.|'')[^'\\]*+)*'
    | [bBxX]'[^']*+'
    | [nN]'[^']*+(?:''[^']*+)*'
    | [uU]&'[^']*+(?:''[^']*+)*'
    | "[^"]*+(?:""[^"]*+)*"
    | [uU]&"[^"]*+(?:""[^"]*+)*"
    | \$\d++
    | \$\$[^$]*+(?:\$(?!\$)[^$]*+)*+\$\$
    | \$_\$[^$]*+(?:\$(?!_\$)[^$]*+)*+\$_\$
    | 0[xX][0-9a-fA-F_]++
    | 0[oO][0-7_]++
    | 0[bB][01_]++
    | \d[\d_]*+(?:\.(?!\.)[\d_]*+)?(?:[eE][+-]?\d++)?
    | \.\d[\d_]*+(?:[eE][+-]?\d++)?
    | ::
    | :=
    | [+*<>=~!@#%^&|`?]"""
    + _OPCHAR
    + r"""*+
    | -(?!-)"""
    + _OPCHAR
    + r"""*+
    | /(?!\*)"""
    + _OPCHAR
    + r"""*+
    | [\[\].:]
    | \\[^\n]*+
    | [eE]'.*+
    | ['"].*+
    | \$(?:[^\W\d]\w*)?\$.*+
    | /\*.*+
    | [^\W\d]"""
    + _WORD_CHAR
    + r"""*+
    | \S
    )
    """
)
_FAST = re.compile(_FAST_SOURCE, re.VERBOSE | re.DOTALL)
#: The alternative that runs a dollar quote of any other tag to the end of the text.
_ANY_DOLLAR_QUOTE = "| \\$(?:[^\\W\\d]\\w*)?\\$.*+"
#: With more than this many characters left to scan, a dollar-quote tag that stopped the scan
#: gets an alternative of its own (:func:`_fast_with`); below, compiling one costs more than it saves.
_TAGGED_FROM = 1 << 16
#: How many tags one text may add to its scan (each one more alternative to try at a ``$``).
_MAX_TAGS = 8


@functools.lru_cache(maxsize=16)
def _fast_with(tags: tuple[str, ...]) -> re.Pattern[str]:
    """``_FAST`` with the dollar quotes of ``tags`` (``("$body$", ...)``) matched whole, as ``$$`` is.

    A big file whose functions use another tag (``$BODY$``, ``$function$``) would otherwise stop
    the scan, and copy the rest of the text, at each of its quotes.
    """
    whole = "".join(
        f"| \\${t}\\$[^$]*+(?:\\$(?!{t}\\$)[^$]*+)*+\\${t}\\$\n    " for t in (re.escape(tag[1:-1]) for tag in tags)
    )
    assert _FAST_SOURCE.count(_ANY_DOLLAR_QUOTE) == 1
    return re.compile(_FAST_SOURCE.replace(_ANY_DOLLAR_QUOTE, whole + _ANY_DOLLAR_QUOTE), re.VERBOSE | re.DOTALL)


_DOLLAR_OPEN = re.compile(r"\$(?:[^\W\d]\w*)?\$")
_WORD_START = re.compile(r"[^\W\d]")

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

#: The kind of a token of ``_FAST`` from its first character; absent: decided in ``tokenize``
#: (e, b, x, n, u may open a prefixed string) or by ``_kind_of``.
_KIND_OF_FIRST: dict[str, TokenKind] = {
    **dict.fromkeys("ACDFGHIJKLMOPQRSTVWYZacdfghijklmopqrstvwyz_", TokenKind.WORD),
    **dict.fromkeys("()[],;", TokenKind.PUNCT),
    **dict.fromkeys("0123456789", TokenKind.NUMBER),
    **dict.fromkeys("+*<>=~!@%^&|`?", TokenKind.OP),
    "'": TokenKind.STRING,
    '"': TokenKind.QIDENT,
}

_COPY_END = re.compile(r"^\\\.[ \t]*\r?$", re.MULTILINE)


def _kind_of(token: str) -> TokenKind:
    """The kind of a token of ``_FAST`` whose first character does not settle it."""
    first = token[0]
    if first == "-":
        return COMMENT if token.startswith("--") else OP
    if first == "/":
        return BLOCK_COMMENT if token.startswith("/*") else OP
    if first == ".":
        return NUMBER if len(token) > 1 else PUNCT
    if first == ":":
        return OP if len(token) > 1 else PUNCT
    if first == "$":
        if len(token) == 1:
            return OP
        # $1 (a digit follows: the tag of a dollar quote cannot start with one), or a whole $$...$$
        # or $_$...$_$ (the others run to the end of the text and are looked at apart)
        return PARAM if token[1].isdecimal() else DOLLAR
    if first == "\\":
        return META
    if _WORD_START.match(first):  # a word starting with a non-ASCII letter
        return WORD
    return NUMBER if first.isdecimal() else OP


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


def _at_statement_start(tokens: _Tokens, stop: int, earlier: _Tokens | None = None) -> bool:
    """True if only comments come between the last ``;`` or meta line (or the start) and ``tokens[stop]``
    (``earlier``: the tokens before ``tokens``)."""
    for i in range(stop - 1, -1, -1):
        kind = tokens[i].kind
        if kind is COMMENT or kind is BLOCK_COMMENT:
            continue
        if kind is PUNCT:
            return tokens[i].text == ";"
        return kind is META or kind is COPY_DATA
    return earlier is None or _at_statement_start(earlier, len(earlier))


#: Matches made into tokens at once when lexing into a store: a bounded number of token objects
#: live at a time, where ``findall`` would make one string per token of the whole text first.
_BATCH = 1 << 15


def _scans(scan: re.Pattern[str], text: str, pos: int, batched: bool) -> Iterator[list[str]]:
    """What ``scan.findall(text, pos)`` returns, in one list or (``batched``) in lists of at most :data:`_BATCH`."""
    if not batched:
        yield scan.findall(text, pos)
        return
    matches = scan.finditer(text, pos)
    while items := [m.group() for m in islice(matches, _BATCH)]:
        yield items


@overload
def tokenize(text: str) -> list[Token]: ...


@overload
def tokenize(text: str, into: _T) -> _T: ...


def tokenize(text: str, into: _Tokens | None = None) -> _Tokens:
    """Split ``text`` into tokens (whitespace dropped, comments kept), in a list or appended to ``into``."""
    tokens: _Tokens = [] if into is None else into
    if "STDIN" in text.upper():
        # Only COPY ... FROM STDIN needs to know where each statement started: lex statefully.
        return _tokenize_stateful(text, 0, tokens, True)
    new = object.__new__
    kind_of_first = _KIND_OF_FIRST.get
    word = WORD
    n = len(text)
    pos = 0
    scan = _FAST
    tags: tuple[str, ...] = ()
    while pos < n:
        for items in _scans(scan, text, pos, into is not None):
            # One empty token per match, made in C; each is filled in place below: five slot stores
            # are cheaper than a call to __init__, and a list made at once cheaper than appends.
            batch = list(map(new, repeat(Token, len(items))))
            for item, tok in zip(items, batch, strict=True):
                token = item.lstrip()  # \s and str.isspace() agree on what whitespace is
                pos += len(item)
                tok.start = start = pos - len(token)
                tok.text = token
                kind = kind_of_first(token[0])
                if kind is word:
                    tok.kind = word
                    tok.upper = token.upper()
                    continue
                if kind is None:
                    if token[0] in "eEbBxXnNuU":  # a word, or a prefixed string: E'', B'', X'', N'', U&'', U&""
                        last = token[-1]
                        kind = STRING if last == "'" else QIDENT if last == '"' else word
                    else:
                        kind = _kind_of(token)
                    if kind is word:
                        tok.kind = word
                        tok.upper = token.upper()
                        continue
                    if kind is META:
                        tok.text = token = token.rstrip("\r")  # the token is exactly its slice of the text
                    elif token[0] == "#":
                        before = batch[: batch.index(tok)]
                        if _at_statement_start(before, len(before), tokens) and _at_line_start(text, start):
                            # MySQL-style '#' line comment before a statement (Atlas' splitter accepts
                            # these); what follows it was lexed as SQL, so carry on with the stateful lexer.
                            line_end = text.find("\n", start)
                            end = n if line_end == -1 else line_end
                            tokens += before
                            tokens.append(Token(COMMENT, start, end, text[start:end]))
                            return _tokenize_stateful(text, end, tokens, True)
                tok.kind = kind
                tok.upper = token
            if tokens is into or tokens:
                tokens += batch
            else:
                tokens = batch
        if pos < n:
            break  # only whitespace is left
        # The last token (of this findall, which found at least one) reached the end of the
        # text: it may be one that runs to the end until looked at closely (a dollar quote,
        # a nested or unterminated block comment, an unterminated literal).
        start = tokens.pop().start
        if text.startswith("/*", start):
            pos = _block_comment_end(text, start)
            if pos == -1:
                tokens.append(Token(ERROR, start, n, text[start:]))
                break
            tokens.append(Token(BLOCK_COMMENT, start, pos, text[start:pos]))
            continue
        opening = _DOLLAR_OPEN.match(text, start)
        if opening is not None:
            tag = opening.group()
            close = text.find(tag, opening.end())
            if close == -1:
                tokens.append(Token(ERROR, start, n, text[start:]))
                break
            pos = close + len(tag)
            tokens.append(Token(DOLLAR, start, pos, text[start:pos]))
            if n - pos > _TAGGED_FROM and len(tags) < _MAX_TAGS and tag not in tags:
                tags += (tag,)
                scan = _fast_with(tags)
            continue
        return _tokenize_stateful(text, start, tokens, _at_statement_start(tokens, len(tokens)))
    return tokens


def _tokenize_stateful(text: str, pos: int, tokens: _T, at_statement_start: bool) -> _T:
    """Lex ``text`` from ``pos`` one match at a time, tracking where statements start.

    ``at_statement_start`` says whether ``pos`` is at a statement start; the statement's first
    word is only needed for ``COPY ... FROM STDIN``, which takes this path from the text start.
    """
    append = tokens.append
    n = len(text)
    match = _token_pattern().match
    first_word = ""
    saw_stdin = False
    word = WORD
    while pos < n:
        m = match(text, pos)
        if m is None:  # pragma: no cover - the master pattern always matches one character
            raise LexError(f"no token at offset {pos}")
        group = m.lastgroup or "other"
        end = m.end()
        if group == "word":  # the most common token first
            value = m.group(group)
            pos = end - len(value)
            upper = value.upper()
            append(Token(word, pos, end, value, upper))
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
            append(Token(COMMENT, pos, end, m.group(group)))
        elif group == "block_open":
            close = _block_comment_end(text, pos)
            if close == -1:
                append(Token(ERROR, pos, n, text[pos:]))
                break
            append(Token(BLOCK_COMMENT, pos, close, text[pos:close]))
            end = close
        elif group == "dollar_open":
            tag = m.group(group)
            close = text.find(tag, end)
            if close == -1:
                append(Token(ERROR, pos, n, text[pos:]))
                break
            end = close + len(tag)
            append(Token(DOLLAR, pos, end, text[pos:end]))
            at_statement_start = False
        elif group == "meta":
            meta = m.group(group).rstrip("\r")
            append(Token(META, pos, pos + len(meta), meta))
            at_statement_start = True
            first_word = ""
            saw_stdin = False
        elif group == "estring_open" or (group == "other" and text[pos] in "'\""):
            # An opening quote the string patterns could not close: unterminated.
            append(Token(ERROR, pos, n, text[pos:]))
            break
        elif group == "op" and at_statement_start and text[pos] == "#" and _at_line_start(text, pos):
            # MySQL-style '#' line comment before a statement (Atlas' splitter accepts these).
            line_end = text.find("\n", pos)
            end = n if line_end == -1 else line_end
            append(Token(COMMENT, pos, end, text[pos:end]))
        else:
            kind = _KIND_OF_GROUP[group]
            value = m.group(group)
            append(Token(kind, pos, end, value))
            if kind is PUNCT and value == ";":
                if first_word == "COPY" and saw_stdin:
                    end = _copy_data(text, end, append)
                at_statement_start = True
                first_word = ""
                saw_stdin = False
            else:
                if kind is WORD:
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
        append(Token(COPY_DATA, data_start, data_end, text[data_start:data_end]))
    return data_end
