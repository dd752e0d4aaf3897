"""The data that flows down the pipeline: statements, transactions, diagnostics, fixes."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import Enum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from dsql_lint.records import NEW, FrozenRecord, Record
from dsql_lint.text.lexer import OP, PUNCT, WORD, Token
from dsql_lint.text.source import Source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlglot import exp

    from dsql_lint.frontend.tree import Tree


#: Slots for :class:`Statement` (a file can hold hundreds of thousands), with the weak reference
#: :class:`dsql_lint.frontend.tree.Batch` takes: ``weakref_slot`` is new in Python 3.11, where 3.10 keeps a dict.
_STATEMENT_SLOTS: dict[str, bool] = {"slots": True, "weakref_slot": True} if sys.version_info >= (3, 11) else {}


class _Unparsed:
    """The type of :data:`UNPARSED`. Its ``build`` makes the sqlglot tree of a statement on first
    read; the front end (:mod:`dsql_lint.frontend.script`, a layer above this one) sets it where it marks
    statements UNPARSED, so this module never imports it."""

    __slots__ = ("build",)

    def __init__(self) -> None:
        self.build: Any = None

    def __repr__(self) -> str:
        return "UNPARSED"


#: :attr:`Statement.ast` before sqlglot has been asked (the statement is valid PostgreSQL 16).
UNPARSED: Any = _Unparsed()

_MATCHABLE = (WORD, OP, PUNCT)
# Enum members as module constants: ``TokenKind.WORD`` is a metaclass attribute lookup per use.
_BRACKETS = frozenset("()[]")


def index_of(words: Sequence[str], word: str, start: int, stop: int) -> int:
    """``words.index(word, start, stop)`` (``start`` >= 0, the search in C), or -1 when it is not there.

    Searches loop on this rather than on a generator: a generator left early is closed by raising
    GeneratorExit in it, about 0.5 us, as is the ValueError of the search that finds no more.
    """
    if start >= stop:
        return -1
    try:
        return words.index(word, start, stop)
    except ValueError:
        return -1


#: :meth:`Diagnostic.sort_key`'s tuple, read in C: a sort key for many findings (a Python method
#: call per finding costs more than the sort).
DIAGNOSTIC_ORDER = attrgetter("path", "line", "column", "code")


class Severity(str, Enum):
    """``error``: DSQL rejects the statement. ``warning``: DSQL accepts it, a rule still objects."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        """Higher is more severe; used by ``--fail-on``."""
        return 2 if self is Severity.ERROR else 1


class Kind(str, Enum):
    """What a statement does, from DSQL's point of view."""

    DDL = "ddl"
    DML = "dml"
    QUERY = "query"
    TCL = "tcl"  # transaction control: BEGIN, COMMIT, ROLLBACK, SAVEPOINT ...
    SESSION = "session"  # SET, SHOW, utility commands that are neither DDL nor DML
    PSQL_META = "psql_meta"  # \set, \connect ...: never SQL, never parsed
    COPY_DATA = "copy_data"  # the data lines after COPY ... FROM STDIN
    UNKNOWN = "unknown"


#: The kinds of statement a transaction's body leaves out (:attr:`Transaction.body`), built once:
#: ``Kind.TCL`` costs a metaclass attribute lookup per use.
_NOT_BODY = (Kind.TCL, Kind.PSQL_META, Kind.COPY_DATA)


class FixSafety(str, Enum):
    """``safe``: same meaning on DSQL. ``unsafe``: behaviour changes, a person must review."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Edit(FrozenRecord):
    """Replace the characters ``[start, end)`` of the source with ``text``."""

    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Fix(FrozenRecord):
    """A list of non-overlapping edits that together remove one finding."""

    edits: tuple[Edit, ...]
    safety: FixSafety
    title: str

    def __init__(self, edits: tuple[Edit, ...], safety: FixSafety, title: str) -> None:
        object.__setattr__(self, "edits", edits)
        object.__setattr__(self, "safety", safety)
        object.__setattr__(self, "title", title)

    def to_json(self, source: Source | None = None) -> dict[str, Any]:
        """JSON form: safety, title, and each edit with offsets and positions."""
        edits = []
        for edit in self.edits:
            item: dict[str, Any] = {"start": edit.start, "end": edit.end, "content": edit.text}
            if source is not None:
                item["location"] = dict(zip(("line", "column"), source.position(edit.start), strict=False))
                item["end_location"] = dict(zip(("line", "column"), source.position(edit.end), strict=False))
            edits.append(item)
        return {"applicability": self.safety._value_, "message": self.title, "edits": edits}


@dataclass(init=False, repr=False, eq=False, slots=True)  # no generated code (dsql_lint.records); slots:
# a run may hold 100,000s of findings
class Diagnostic(Record):
    """One finding, positioned on the exact offending token."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    help: str
    url: str
    fix: Fix | None = None
    start: int = 0  # character offsets in the source, for suppressions and fixes
    end: int = 0
    source: Source | None = field(default=None, repr=False, compare=False)

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        help: str,
        url: str,
        fix: Fix | None = None,
        start: int = 0,
        end: int = 0,
        source: Source | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.help = help
        self.url = url
        self.fix = fix
        self.start = start
        self.end = end
        self.source = source

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, position, then code (:data:`DIAGNOSTIC_ORDER` gives the same tuple, in C)."""
        return (self.path, self.line, self.column, self.code)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of one diagnostic (see README.md)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity._value_,  # ``.value`` is a Python property (two calls) on 3.11
            "message": self.message,
            "help": self.help,
            "url": self.url,
            "fix": self.fix.to_json(self.source) if self.fix else None,
        }


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class ParseFailure(Record):
    """Why a statement cannot be parsed, and where (offsets in the source)."""

    message: str
    start: int
    end: int
    #: True when only PostgreSQL 16's grammar rejects the statement (sqlglot read it): a rule that
    #: explains the same statement with an error of its own makes this finding redundant.
    by_postgresql: bool = False

    def __init__(self, message: str, start: int, end: int, by_postgresql: bool = False) -> None:
        self.message = message
        self.start = start
        self.end = end
        self.by_postgresql = by_postgresql


@dataclass(init=False, repr=False, eq=False, **_STATEMENT_SLOTS)  # no generated code (dsql_lint.records)
class Statement(Record):
    """One statement as it will be sent to the server, with its tokens and syntax tree."""

    source: Source
    index: int
    start: int
    end: int  # exclusive; includes the terminating ';' when there is one
    #: Significant tokens, without comments and without the final ';': a list, or a selection of a
    #: big text's packed tokens (:mod:`dsql_lint.text.packed`), which makes a token object when one is read.
    tokens: Sequence[Token]
    comments: list[Token] = field(default_factory=list)  # comments inside the statement
    leading_comments: list[Token] = field(default_factory=list)  # comments just before it
    terminator: Token | None = None
    kind: Kind = Kind.UNKNOWN
    tag: str = ""
    #: The sqlglot tree, or :data:`UNPARSED` until :attr:`ast` is first read (see :mod:`dsql_lint.frontend.pgsyntax`).
    _ast: Any = field(default=None, repr=False)
    parse_failure: ParseFailure | None = None
    #: Upper-cased word tokens, other tokens' text: one entry per token, for matching (made with the
    #: statement: an attribute, not a property, as rules read it 150,000 times in a cold folder run).
    words: Sequence[str] = field(default=None, repr=False)  # type: ignore[arg-type]  # None: made from the tokens
    _depths: Sequence[int] | None = field(default=None, repr=False)
    #: PostgreSQL's parse tree (:class:`dsql_lint.frontend.tree.Tree`), its file's batch until first read, or None.
    _tree: Any = field(default=None, repr=False)
    #: The shared rule views computed for it (:func:`dsql_lint.frontend.syntax.per_statement`), or None.
    _views: dict[str, tuple[str, Any]] | None = field(default=None, repr=False, compare=False)

    def __init__(
        self,
        source: Source,
        index: int,
        start: int,
        end: int,
        tokens: Sequence[Token],
        comments: list[Token] = NEW,
        leading_comments: list[Token] = NEW,
        terminator: Token | None = None,
        kind: Kind = Kind.UNKNOWN,
        tag: str = "",
        _ast: Any = None,
        parse_failure: ParseFailure | None = None,
        words: Sequence[str] | None = None,
        _depths: Sequence[int] | None = None,
        _tree: Any = None,
        _views: dict[str, tuple[str, Any]] | None = None,
    ) -> None:
        self.source = source
        self.index = index
        self.start = start
        self.end = end
        self.tokens = tokens
        self.comments = [] if comments is NEW else comments
        self.leading_comments = [] if leading_comments is NEW else leading_comments
        self.terminator = terminator
        self.kind = kind
        self.tag = tag
        self._ast = _ast
        self.parse_failure = parse_failure
        self.words = words  # type: ignore[assignment]  # None until __post_init__ makes them
        self._depths = _depths
        self._tree = _tree
        self._views = _views
        self.__post_init__()

    def __post_init__(self) -> None:
        if self.words is None:
            tokens = self.tokens
            if type(tokens) is list:
                self.words = [t.upper for t in tokens]
            else:  # a big text's packed tokens (dsql_lint.text.packed, not imported unless a text is big)
                packed = getattr(tokens, "words", None)
                self.words = packed() if packed is not None else [t.upper for t in tokens]

    @property
    def ast(self) -> exp.Expr | None:
        """The sqlglot syntax tree; None for a statement sqlglot cannot parse or that is not SQL.

        A statement PostgreSQL's grammar accepted is parsed by sqlglot only here, on first
        use: most statements never need a tree (rules work from tokens).
        """
        if self._ast is UNPARSED:
            self._ast = UNPARSED.build(self)
        tree: exp.Expr | None = self._ast
        return tree

    @ast.setter
    def ast(self, tree: exp.Expr | None) -> None:
        self._ast = tree

    @property
    def text(self) -> str:
        """The statement's text, exactly as in the source."""
        return self.source.text[self.start : self.end]

    @property
    def byte_span(self) -> tuple[int, int]:
        """Start and end of the statement in bytes of the UTF-8 source."""
        return self.source.byte_offset(self.start), self.source.byte_offset(self.end)

    @property
    def line(self) -> int:
        """1-based line where the statement starts."""
        return self.source.position(self.start)[0]

    @property
    def tree(self) -> Tree | None:
        """PostgreSQL 16's parse tree of the statement (:mod:`dsql_lint.frontend.tree`), or None when its
        grammar rejects the statement (or it is not SQL). A file's trees are made together, on the
        first read of any of them."""
        tree = self._tree
        if tree is not None and hasattr(tree, "fill"):
            tree.fill()  # the file's batch (dsql_lint.frontend.tree.Batch): it sets _tree on each of its statements
            tree = self._tree
        return tree

    def token_index(self, offset: int) -> int:
        """Index in :attr:`tokens` of the token that holds the source offset ``offset`` (a tree
        node's :meth:`~dsql_lint.frontend.tree.Tree.offset`), or -1 when it is in no token."""
        tokens = self.tokens
        lo, hi = 0, len(tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if tokens[mid].end <= offset:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(tokens) and tokens[lo].start <= offset else -1

    @property
    def depths(self) -> Sequence[int]:
        """Parenthesis/bracket depth of every token (an opening token has the outer depth)."""
        if self._depths is None and type(self.tokens) is not list:
            self._depths = self.tokens.depths()  # type: ignore[attr-defined]  # packed (see words)
        if self._depths is None:
            depths: list[int] = []
            append = depths.append
            depth = 0
            punct = PUNCT
            tokens = self.tokens
            words = self.words if len(self.words) == len(tokens) else [t.upper for t in tokens]
            for word, tok in zip(words, tokens, strict=True):  # a punctuation token's word is its text
                if word in _BRACKETS and tok.kind is punct:
                    if word == "(" or word == "[":
                        append(depth)
                        depth += 1
                        continue
                    if depth:
                        depth -= 1
                append(depth)
            self._depths = depths
        return self._depths

    def find(self, *seq: str, start: int = 0, stop: int | None = None, depth: int | None = None) -> int:
        """Index of the first token run equal to ``seq`` (upper-case words), or -1.

        Only unquoted words match keyword strings, so a string literal or a quoted
        identifier that happens to read ``DESC`` never matches.
        """
        words = self.words
        last = (len(words) if stop is None else min(stop, len(words))) - len(seq)
        first = seq[0]
        depths = self.depths if depth is not None else None
        more = range(1, len(seq))
        end = last + 1
        # From the start, ``in`` answers the usual "absent" without the ValueError that list.index
        # raises (about 0.5 us each); it reads no further than index would, but to the end when the
        # word is absent, so not from a later start (a caller looping over a big statement would
        # read it again and again).
        if start == 0 and first not in words:
            return -1
        # A few places (``find(..., start=j, stop=j + 3) == j``) are tested in place; so is a negative
        # start, which list.index would read from the end (range() keeps its meaning).
        if start < 0 or end - start <= 4:
            for i in range(start, end):
                if words[i] == first and self._matches_at(i, seq, more, depths, depth):
                    return i
            return -1
        i = index_of(words, first, start, end)  # jumping in C to each candidate, in a loop (see index_of)
        while i != -1:
            if self._matches_at(i, seq, more, depths, depth):
                return i
            i = index_of(words, first, i + 1, end)
        return -1

    def _matches_at(
        self, i: int, seq: tuple[str, ...], more: range, depths: Sequence[int] | None, depth: int | None
    ) -> bool:
        """:meth:`find`'s test of a candidate ``i`` whose word is ``seq[0]``."""
        words = self.words
        tokens = self.tokens
        if tokens[i].kind not in _MATCHABLE or (depths is not None and depths[i] != depth):
            return False
        for k in more:  # noqa: SIM110 - a loop: all() over a generator costs a frame per call
            if words[i + k] != seq[k] or tokens[i + k].kind not in _MATCHABLE:
                return False
        return True

    def has(self, *seq: str, depth: int | None = None) -> bool:
        """True if the word run ``seq`` occurs in the statement."""
        return self.find(*seq, depth=depth) != -1

    def starts_with(self, *seq: str) -> bool:
        """True if the statement's first tokens are ``seq``."""
        words = self.words
        if len(words) < len(seq):
            return False
        tokens = self.tokens
        for i, word in enumerate(seq):  # noqa: SIM110 - a loop: all() over a generator costs a frame per call
            if words[i] != word or tokens[i].kind is not WORD:
                return False
        return True

    def closing(self, index: int) -> int:
        """Index of the token closing the parenthesis or bracket at ``index`` (or the last token)."""
        depths = self.depths
        tokens = self.tokens
        target = depths[index]
        for i in range(index + 1, len(tokens)):
            if depths[i] == target and tokens[i].kind is PUNCT and tokens[i].text in ")]":
                return i
        return len(tokens) - 1


@dataclass(init=False, repr=False, eq=False, slots=True)  # no generated code (dsql_lint.records); slots:
# a file of 200,000 autocommit statements has as many transactions (37 MB of them without)
class Transaction(Record):
    """Statements that the server runs as one transaction.

    ``explicit`` transactions are opened by BEGIN/START TRANSACTION in the text;
    implicit ones are single autocommit statements or a migration tool's wrapping,
    and ``reason`` says why the statements share a transaction.
    """

    statements: list[Statement]
    explicit: bool
    begin: Statement | None = None
    end: Statement | None = None
    reason: str = ""
    #: True when a migration tool wraps these statements in a transaction itself
    #: (for example Flyway runs each file in one transaction).
    managed: bool = False

    def __init__(
        self,
        statements: list[Statement],
        explicit: bool,
        begin: Statement | None = None,
        end: Statement | None = None,
        reason: str = "",
        managed: bool = False,
    ) -> None:
        self.statements = statements
        self.explicit = explicit
        self.begin = begin
        self.end = end
        self.reason = reason
        self.managed = managed

    @property
    def is_autocommit(self) -> bool:
        """True for a single statement that runs on its own, outside any transaction block."""
        return not self.explicit and not self.managed

    @property
    def body(self) -> list[Statement]:
        """The statements that do work (transaction control left out)."""
        not_body = _NOT_BODY
        return [s for s in self.statements if s.kind not in not_body]


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Script(Record):
    """A parsed source: its statements and the transactions they run in."""

    source: Source
    statements: list[Statement]
    transactions: list[Transaction]
    tokens: Sequence[Token]  # every token of the source, comments included (see Statement.tokens)

    def __init__(
        self,
        source: Source,
        statements: list[Statement],
        transactions: list[Transaction],
        tokens: Sequence[Token],
    ) -> None:
        self.source = source
        self.statements = statements
        self.transactions = transactions
        self.tokens = tokens
