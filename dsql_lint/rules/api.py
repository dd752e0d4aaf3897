"""The public rule API: what a built-in or third-party rule declares and implements.

A rule is a class with its metadata as class attributes and one ``check`` method.
It is registered under the entry-point group ``dsql_lint.rules``; built-in rules
register exactly the same way (see ``pyproject.toml``)::

    [project.entry-points."dsql_lint.rules"]
    ACME001 = "acme_dsql_rules:NoSelectStar"

Four scopes exist: :class:`StatementRule` sees one statement at a time,
:class:`TransactionRule` one transaction (its statements in order),
:class:`ScriptRule` a whole file, and :class:`FolderRule` every migration file of a
run in migration order, with a schema model replayed through them
(:class:`dsql_lint.migrations.MigrationFolder`). A check yields :class:`Diagnostic` objects made
with :meth:`Rule.report`, which positions them on exact tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from dsql_lint.model import Diagnostic, Fix, FixSafety, Script, Severity, Statement, Transaction
from dsql_lint.records import NEW, Record
from dsql_lint.text.lexer import Token
from dsql_lint.text.source import Source

if TYPE_CHECKING:
    from dsql_lint.migrations.folder import FolderEntry, MigrationFolder
    from dsql_lint.migrations.schema import SchemaModel
    from dsql_lint.migrations.summary import Change

DOCS_BASE_URL = "https://github.com/dsql-linter/dsql-linter/blob/main/rules/"

CODE_PATTERN = re.compile(r"^[A-Z]{1,8}[0-9]{2,4}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

#: Rule families by the first digit of a DSQL code.
FAMILIES = {
    "0": "engine",
    "1": "types",
    "2": "objects",
    "3": "indexes",
    "4": "alter-table",
    "5": "transactions",
    "6": "commands",
    "7": "access",
    "8": "limits",
    "9": "house",
}

Anchor = Token | int


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class Context(Record):
    """What a rule may know besides the code it checks: settings, and shared state."""

    options: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)
    #: The codes of the rules this run has on: a fix must not make a finding of one of them
    #: (under the strict preset, SERIAL is fixed to a UUID key rather than to an identity column).
    selected: frozenset[str] = frozenset()

    def __init__(
        self, options: dict[str, Any] = NEW, shared: dict[str, Any] = NEW, selected: frozenset[str] = frozenset()
    ) -> None:
        self.options = {} if options is NEW else options
        self.shared = {} if shared is NEW else shared
        self.selected = selected


class Rule:
    """Base class of every rule. Subclass one of the three scopes below."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    help: ClassVar[str] = ""
    fix_safety: ClassVar[FixSafety | None] = None
    #: True for a statement rule whose finding says in a sentence why PostgreSQL 16's grammar
    #: rejects the statement (``NOT ENFORCED``, ``MATCH PARTIAL``): the statement's DSQL001 then goes.
    explains_syntax: ClassVar[bool] = False
    #: Rules that are off unless selected by code, name or prefix (``ALL`` selects them too).
    default_enabled: ClassVar[bool] = True
    #: Where the rule's documentation lives; built-ins point at ``rules/<code>-<name>.md``.
    url: ClassVar[str] = ""
    _doc_url: ClassVar[str | None] = None  # doc_url's answer, once made
    scope: ClassVar[str] = ""

    @classmethod
    def family(cls) -> str:
        """The family of a DSQL code (``types``, ``indexes`` ...), or ``plugin``."""
        if cls.code.startswith("DSQL") and len(cls.code) == 7:
            return FAMILIES.get(cls.code[4], "plugin")
        return "plugin"

    @classmethod
    def doc_url(cls) -> str:
        """The rule's documentation link (one string per rule, which every finding shares)."""
        url: str | None = cls.__dict__.get("_doc_url")
        if url is None:
            url = cls.url or f"{DOCS_BASE_URL}{cls.code}-{cls.name}.md"
            cls._doc_url = url
        return url

    @classmethod
    def is_house_rule(cls) -> bool:
        """True for the user's usage requirements (9xx): accepted by DSQL, forbidden by the house."""
        return cls.family() == "house"

    def report(
        self,
        source: Source | Statement,
        start: Anchor,
        end: Anchor | None = None,
        *,
        message: str,
        help: str | None = None,
        fix: Fix | None = None,
    ) -> Diagnostic:
        """Make a diagnostic spanning ``start`` to ``end`` (tokens or character offsets)."""
        src = source.source if isinstance(source, Statement) else source
        first = start.start if isinstance(start, Token) else start
        if end is None:
            last = first + len(start.text) if isinstance(start, Token) else first  # Token.end, without its call
        else:
            last = end.end if isinstance(end, Token) else end
        last = max(last, first)
        line, column, end_line, end_column = src.span(first, last)
        # Positional, in Diagnostic's field order: fifteen keywords cost noticeably more per call,
        # and a folder with a finding per statement makes 10,000 of them.
        return Diagnostic(
            src.path,
            line,
            column,
            end_line,
            end_column,
            self.code,
            self.name,
            self.severity,
            message,
            self.help if help is None else help,
            self.doc_url(),
            fix,
            first,
            last,
            src,
        )


class StatementRule(Rule):
    """A rule that looks at one statement at a time.

    Two optional class attributes tell the engine which statements can concern the rule, so
    that ``check`` is not called for the others (most rules concern a few kinds of statement,
    and a run checks every statement with every rule):

    - ``tags``: the command tags (``stmt.tag``, such as ``"CREATE INDEX"``) of the only
      statements the rule can report on. ``None``, the default, means every statement.
    - ``words``: upper-case words of which at least one must be in ``stmt.words`` (its word
      tokens upper-cased, and the text of its other tokens, so a word inside a string, a
      comment or a quoted identifier does not count). ``None``, the default, means no word is
      needed.

    The engine skips the rule on a statement that fails either gate, so declare a gate only
    when ``check`` provably finds nothing on the statements it excludes: typically ``tags``
    when ``check`` starts with ``if stmt.tag != ...: return``, and ``words`` when every
    finding needs a keyword that ``stmt.find``/``Token.is_word`` looks for.

    A rule that reports on a name (a column type such as ``serial`` or ``money``) cannot use
    ``words``, since the name may be quoted (``"money"``): it starts ``check`` with ``if not
    mentions(stmt, NAMES): return`` (:func:`dsql_lint.frontend.syntax.mentions`), which is
    false only when the statement names none of them, quoted or not.
    """

    scope: ClassVar[str] = "statement"
    #: The command tags of the statements this rule can report on (None: every statement).
    tags: ClassVar[frozenset[str] | None] = None
    #: Words of which a statement must contain at least one for this rule to run (None: no gate):
    #: unquoted words upper-cased, quoted identifiers as written with their quotes (``'"point"'``).
    words: ClassVar[frozenset[str] | None] = None

    def concerns(self, stmt: Statement) -> bool:
        """False when the rule's ``tags`` or ``words`` exclude ``stmt`` (the engine does not run it then)."""
        tags = self.tags
        if tags is not None and stmt.tag not in tags:
            return False
        words = self.words
        return words is None or not words.isdisjoint(stmt.words)

    def check(self, stmt: Statement, ctx: Context) -> Iterable[Diagnostic]:
        """Yield diagnostics for ``stmt``."""
        raise NotImplementedError


class TransactionRule(Rule):
    """A rule that looks at one transaction: the statements the server runs together."""

    scope: ClassVar[str] = "transaction"

    def check(self, txn: Transaction, ctx: Context) -> Iterable[Diagnostic]:
        """Yield diagnostics for ``txn``."""
        raise NotImplementedError


class ScriptRule(Rule):
    """A rule that looks at a whole file (for example to build a schema model in order)."""

    scope: ClassVar[str] = "script"

    def check(self, script: Script, ctx: Context) -> Iterable[Diagnostic]:
        """Yield diagnostics for ``script``."""
        raise NotImplementedError


class FolderRule(Rule):
    """A rule that looks at all migration files of a run, in the order the migration tool applies them.

    ``check`` receives a :class:`dsql_lint.migrations.MigrationFolder`; iterate
    ``folder.replay()`` to see every schema or data change of the up path with the
    schema model right after it (``folder.changes()`` when the rule needs no schema: no
    replay, cheaper), and report with ``self.report(entry.source, change.start,
    change.end, message=...)``. A single file linted on its own is a folder of one file.
    The folder pass runs after the per-file rules, over cheap per-file summaries.

    A rule that looks at changes one at a time can instead declare ``kinds`` (the
    ``Change.kind`` values it wants) and implement ``visit(entry, change, model, ctx)``:
    the engine then replays the folder once for all such rules, instead of once per rule,
    and calls ``visit`` with the model as it is right after that change. The model is
    shared: read it, never change it, except for the rule's own state along the replay,
    ``model.notes_of(self.code, dict)`` (what earlier changes taught it). A visitor sees
    every change of its kinds in every file, down and baseline files too (those are not
    applied to the model), in order: what ``folder.changes()`` gives. Prefer a visitor: the
    folder pass then holds no file's summary once it is replayed.
    """

    scope: ClassVar[str] = "folder"
    #: The change kinds :meth:`visit` is called for; None: the rule implements :meth:`check`.
    kinds: ClassVar[frozenset[str] | None] = None

    def check(self, folder: MigrationFolder, ctx: Context) -> Iterable[Diagnostic]:
        """Yield diagnostics for the folder's files (by default: :meth:`visit` over one replay)."""
        kinds = self.kinds
        if kinds is None:
            raise NotImplementedError
        for entry, change, model in folder.replay():
            if change.kind in kinds:
                yield from self.visit(entry, change, model, ctx)

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        """Yield diagnostics for one change of a kind in :attr:`kinds`, with the schema right after it."""
        raise NotImplementedError

    def at_change(self, entry: FolderEntry, change: Change, *, message: str) -> tuple[Diagnostic]:
        """What :meth:`visit` returns to report ``change`` where its file spells it: a one-finding tuple."""
        return (self.report(entry.source, change.start, change.end, message=message),)


def validate_rule_class(rule: type[Rule], origin: str) -> list[str]:
    """Problems with a rule class's declared metadata (empty when it is well formed)."""
    problems = []
    for attr in ("code", "name", "severity", "summary"):
        if not getattr(rule, attr, None):
            problems.append(f"{origin}: rule class {rule.__name__} does not declare `{attr}`")
    if problems:
        return problems
    if not CODE_PATTERN.match(rule.code):
        problems.append(f"{origin}: rule code {rule.code!r} must look like ABC123 (letters then digits)")
    if not NAME_PATTERN.match(rule.name):
        problems.append(f"{origin}: rule name {rule.name!r} must be kebab-case")
    if not isinstance(rule.severity, Severity):
        problems.append(f"{origin}: rule {rule.code} severity must be a dsql_lint.Severity")
    if not any(issubclass(rule, scope) for scope in (StatementRule, TransactionRule, ScriptRule, FolderRule)):
        problems.append(
            f"{origin}: rule {rule.code} must subclass StatementRule, TransactionRule, ScriptRule or FolderRule"
        )
    if issubclass(rule, StatementRule):
        for attr in ("tags", "words"):
            value = getattr(rule, attr)
            if value is not None and not (
                isinstance(value, (frozenset, set))
                and all(isinstance(v, str) and (v == v.upper() or (attr == "words" and v[:1] == '"')) for v in value)
            ):
                problems.append(
                    f"{origin}: rule {rule.code} `{attr}` must be None or a set of upper-case strings"
                    + (" (or quoted identifiers)" if attr == "words" else "")
                )
    return problems
