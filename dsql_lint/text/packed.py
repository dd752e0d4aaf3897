"""Tokens of a big text kept in arrays, with a :class:`~dsql_lint.text.lexer.Token` made when one is read.

A token as a Python object costs about 100 bytes with its offset and text: a 10 MB multi-row
``INSERT`` has 3.4 million tokens, and a 50 MB statement on one line 7 million. From
:data:`dsql_lint.text.lexer.PACK_FROM` characters on, the lexer stores each token as 18 bytes instead (start, end,
kind and a one-byte key of its matching text) and the statements of the text read them through
:class:`PackedTokens`, a read-only sequence of tokens; :class:`PackedWords` gives the matching
text (:attr:`dsql_lint.model.Statement.words`) the same way. Reading a token makes a new
object each time; two made for the same token compare equal (:class:`PackedToken`), so
``index``, ``in`` and ``==`` keep their meaning, and only ``is`` does not.

Smaller texts keep lists of tokens: reading a packed token costs about a microsecond, a list
item a few nanoseconds.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import repeat
from operator import add, and_, attrgetter
from sys import intern
from typing import overload

from dsql_lint.text.lexer import WORD, Token, TokenKind, tokenize

#: A statement of a packed text with more tokens than this reads them from the arrays too; a
#: smaller one keeps them in a list (a file of many small statements is not slowed down).
LIST_UP_TO = 1 << 12

_KINDS = tuple(TokenKind)
_CODE = {kind: i for i, kind in enumerate(_KINDS)}
_WORD_CODE = _CODE[WORD]
_PUNCT_CODE = _CODE[TokenKind.PUNCT]
_COMMENT_CODE = _CODE[TokenKind.COMMENT]
_BLOCK_COMMENT_CODE = _CODE[TokenKind.BLOCK_COMMENT]
#: Token texts up to this long are interned when read (:meth:`TokenStore.token`).
_INTERN_UP_TO = 32
_START = attrgetter("start")
_TEXT = attrgetter("text")
_KIND = attrgetter("kind")
_UPPER = attrgetter("upper")


def _key(word: str) -> int:
    """The one-byte key of a token's matching text: equal texts have equal keys (in one process)."""
    return hash(word) & 0xFF


class PackedToken(Token):
    """A token read from a :class:`PackedTokens`; equal to any other read of the same token."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and other.start == self.start and other.kind is self.kind

    def __hash__(self) -> int:
        return hash(self.start)


class TokenStore:
    """The arrays the lexer fills: each token's start and end offsets, kind and key."""

    __slots__ = ("ends", "keys", "kinds", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = array("q")
        self.ends = array("q")
        self.kinds = bytearray()
        self.keys = bytearray()

    # What the lexer uses: append, +=, pop, len, [i].
    def append(self, tok: Token) -> None:
        self.starts.append(tok.start)
        self.ends.append(tok.start + len(tok.text))
        self.kinds.append(_CODE[tok.kind])
        self.keys.append(hash(tok.upper) & 0xFF)

    def __iadd__(self, batch: list[Token]) -> TokenStore:
        # map() over attrgetters runs in C: this is most of lexing a big text.
        starts = list(map(_START, batch))
        self.starts.extend(starts)
        self.ends.extend(map(add, starts, map(len, map(_TEXT, batch))))
        self.kinds.extend(map(_CODE.__getitem__, map(_KIND, batch)))
        self.keys.extend(map(and_, map(hash, map(_UPPER, batch)), repeat(0xFF)))
        return self

    def pop(self) -> Token:
        tok = self.token(len(self.starts) - 1)
        for column in (self.starts, self.ends, self.kinds, self.keys):
            column.pop()
        return tok

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> Token:
        return self.token(i if i >= 0 else len(self.starts) + i)

    def __bool__(self) -> bool:
        return bool(self.starts)

    def token(self, j: int) -> PackedToken:
        """A new object for token ``j``. Its text is interned (short texts repeat: keywords, names,
        small numbers; a small statement keeps its token objects, 200,000 of them kept 110 MB of
        copies), and a word already in upper case is its own upper-cased text."""
        tok = object.__new__(PackedToken)
        start = self.starts[j]
        tok.start = start
        end = self.ends[j]
        text = self.text[start:end]
        if end - start <= _INTERN_UP_TO:
            text = intern(text)
        tok.text = text
        kind = _KINDS[self.kinds[j]]
        tok.kind = kind
        if kind is WORD:
            upper = text.upper()
            tok.upper = text if upper == text else intern(upper) if end - start <= _INTERN_UP_TO else upper
        else:
            tok.upper = text
        return tok

    def word(self, j: int) -> str:
        """Token ``j``'s matching text: upper-cased for a word, as written otherwise."""
        text = self.text[self.starts[j] : self.ends[j]]
        return text.upper() if self.kinds[j] == _WORD_CODE else text


def pack(text: str) -> PackedTokens:
    """Every token of ``text``, in arrays (:func:`dsql_lint.text.lexer.tokens_of` decides when)."""
    store = tokenize(text, TokenStore(text))
    return PackedTokens(store, range(len(store)))


class _Selection:
    """Part of a :class:`TokenStore`: the tokens at ``sel`` (a range, or an array of indexes)."""

    __slots__ = ("_sel", "_store")

    def __init__(self, store: TokenStore, sel: range | array[int]) -> None:
        self._store = store
        self._sel = sel

    def __len__(self) -> int:
        return len(self._sel)

    def __eq__(self, other: object) -> bool:
        """Equal to a list, or a selection of the same class, with equal items (as a list is)."""
        if not isinstance(other, (list, type(self))):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))  # type: ignore[call-overload]

    __hash__ = None  # type: ignore[assignment]

    def _bounds(self, start: int, stop: int | None) -> tuple[int, int]:
        """``start`` and ``stop`` as ``list.index`` reads them, clipped to the selection."""
        n = len(self._sel)
        if start < 0:
            start = max(0, start + n)
        stop = n if stop is None else (max(0, stop + n) if stop < 0 else min(stop, n))
        return start, stop

    def _position(self, j: int, lo: int, hi: int) -> int:
        """Where token ``j`` of the store is in ``sel[lo:hi]``, or -1."""
        sel = self._sel
        if isinstance(sel, range):
            i = j - sel.start
            return i if lo <= i < hi else -1
        i = bisect_left(sel, j, lo, hi)
        return i if i < hi and sel[i] == j else -1

    def _find(self, word: str, start: int, stop: int | None) -> int:
        """The first position in ``[start, stop)`` whose matching text is ``word``, or -1."""
        start, stop = self._bounds(start, stop)
        if start >= stop:
            return -1
        sel = self._sel
        store = self._store
        keys = store.keys
        starts = store.starts
        ends = store.ends
        key = _key(word)
        size = len(word)  # a word's upper-cased text may be longer than the word (ß: SS), never shorter
        j = sel[start]
        last = sel[stop - 1]
        while True:
            j = keys.find(key, j, last + 1)
            if j == -1:
                return -1
            if ends[j] - starts[j] <= size and store.word(j) == word:
                i = self._position(j, start, stop)
                if i != -1:
                    return i
            j += 1


class PackedTokens(_Selection, Sequence[Token]):
    """Some of a text's tokens, read from its :class:`TokenStore`."""

    __slots__ = ()

    @overload
    def __getitem__(self, i: int) -> Token: ...

    @overload
    def __getitem__(self, i: slice) -> PackedTokens: ...

    def __getitem__(self, i: int | slice) -> Token | PackedTokens:
        if isinstance(i, slice):
            return PackedTokens(self._store, self._sel[i])
        return self._store.token(self._sel[i])

    def __iter__(self) -> Iterator[Token]:
        token = self._store.token
        for j in self._sel:
            yield token(j)

    def __contains__(self, tok: object) -> bool:
        return self.position(tok) != -1

    def position(self, tok: object, start: int = 0, stop: int | None = None) -> int:
        """Where ``tok`` is, or -1."""
        if not isinstance(tok, Token):
            return -1
        store = self._store
        j = bisect_left(store.starts, tok.start)
        if j == len(store.starts) or store.starts[j] != tok.start or _KINDS[store.kinds[j]] is not tok.kind:
            return -1
        return self._position(j, *self._bounds(start, stop))

    def index(self, tok: object, start: int = 0, stop: int | None = None) -> int:
        i = self.position(tok, start, stop)
        if i == -1:
            raise ValueError("token not in this statement")
        return i

    def gathering(self) -> Gathering:
        """An empty :class:`Gathering` from the same store (for the splitter)."""
        return Gathering(self._store)

    def words(self) -> PackedWords:
        """The matching texts of these tokens (:attr:`dsql_lint.model.Statement.words`)."""
        return PackedWords(self._store, self._sel)

    def depths(self) -> list[int]:
        """Parenthesis and bracket depth of each token, as :attr:`dsql_lint.model.Statement.depths`
        (a list: its items are small ints, which CPython shares, so 8 bytes a token)."""
        store = self._store
        text = store.text
        starts = store.starts
        kinds = store.kinds
        punct = _PUNCT_CODE
        depths: list[int] = []
        append = depths.append
        depth = 0
        for j in self._sel:
            if kinds[j] == punct:
                c = text[starts[j]]
                if c == "(" or c == "[":
                    append(depth)
                    depth += 1
                    continue
                if (c == ")" or c == "]") and depth:
                    depth -= 1
            append(depth)
        return depths


class PackedWords(_Selection, Sequence[str]):
    """The matching text of some tokens of a store: upper-cased words, other tokens' text."""

    __slots__ = ()

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> PackedWords: ...

    def __getitem__(self, i: int | slice) -> str | PackedWords:
        if isinstance(i, slice):
            return PackedWords(self._store, self._sel[i])
        return self._store.word(self._sel[i])

    def __iter__(self) -> Iterator[str]:
        word = self._store.word
        for j in self._sel:
            yield word(j)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word, 0, None) != -1

    def index(self, word: object, start: int = 0, stop: int | None = None) -> int:
        """As ``list.index``, in C over the keys (a list of 7 million words would take 450 MB)."""
        i = self._find(word, start, stop) if isinstance(word, str) else -1
        if i == -1:
            raise ValueError(f"{word!r} is not in this statement")
        return i

    def count(self, word: object) -> int:
        if not isinstance(word, str):
            return 0
        n = 0
        i = self._find(word, 0, None)
        while i != -1:
            n += 1
            i = self._find(word, i + 1, None)
        return n


class Gathering:
    """A statement's tokens as the splitter gathers them from a :class:`PackedTokens`: token objects
    in a list while there are at most :data:`LIST_UP_TO`, then only the first and the last.

    The splitter gathers every token between a statement's first and last but the comments (which
    go to the statement's ``comments``), so the first and last settle which tokens of the store
    the statement holds.
    """

    __slots__ = ("_first", "_last", "_list", "_store")

    def __init__(self, store: TokenStore) -> None:
        self._store = store
        self._list: list[Token] | None = []
        self._first: Token | None = None
        self._last: Token | None = None

    def append(self, tok: Token) -> None:
        gathered = self._list
        if gathered is None:
            self._last = tok
            return
        gathered.append(tok)
        if len(gathered) > LIST_UP_TO:
            self._first = gathered[0]
            self._last = tok
            self._list = None

    def __getitem__(self, i: int) -> Token:
        gathered = self._list
        if gathered is not None:
            return gathered[i]
        if i == 0 and self._first is not None:
            return self._first
        if i == -1 and self._last is not None:
            return self._last
        raise IndexError("a statement being gathered reads only its first and last token")

    def __bool__(self) -> bool:
        """Whether any token was gathered (all the splitter asks of its size)."""
        gathered = self._list
        return bool(gathered) if gathered is not None else True

    def done(self) -> Sequence[Token]:
        """The statement's tokens: the list, or a :class:`PackedTokens`."""
        gathered = self._list
        if gathered is not None:
            return gathered
        assert self._first is not None and self._last is not None
        store = self._store
        first = bisect_left(store.starts, self._first.start)
        last = bisect_left(store.starts, self._last.start)
        kinds = store.kinds
        if kinds.find(_COMMENT_CODE, first, last) == -1 and kinds.find(_BLOCK_COMMENT_CODE, first, last) == -1:
            return PackedTokens(store, range(first, last + 1))
        comments = (_COMMENT_CODE, _BLOCK_COMMENT_CODE)
        sel = array("i", (j for j in range(first, last + 1) if kinds[j] not in comments))  # under 2**31 tokens
        return PackedTokens(store, sel)
