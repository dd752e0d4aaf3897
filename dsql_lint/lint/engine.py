"""Run the selected rules over scripts and collect their diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from dsql_lint.config.settings import Settings, selected_rules
from dsql_lint.lint.suppress import Suppressor
from dsql_lint.model import DIAGNOSTIC_ORDER, Diagnostic, Kind, Script, Severity, Statement
from dsql_lint.records import NEW, Record
from dsql_lint.rules.api import Context, FolderRule, Rule, ScriptRule, StatementRule, TransactionRule
from dsql_lint.rules.catalog import DeferredRule
from dsql_lint.rules.registry import lint_rules
from dsql_lint.text.lexer import TokenKind
from dsql_lint.text.source import Source

if TYPE_CHECKING:
    from dsql_lint.migrations import FolderEntry, MigrationFile, MigrationFolder
    from dsql_lint.migrations.schema import SchemaModel
    from dsql_lint.migrations.summary import Change

INTERNAL_ERROR_CODE = "DSQL000"
PARSE_ERROR_CODE = "DSQL001"

_NOT_SQL = (Kind.PSQL_META, Kind.COPY_DATA)


_Check = Callable[[Statement, Context], Iterable[Diagnostic]]
_Planned = list[tuple[StatementRule, _Check]]


def _bound(rule: StatementRule) -> tuple[StatementRule, _Check]:
    """The rule and its ``check``; a catalog stand-in gives way to its real rule, imported now."""
    if isinstance(rule, DeferredRule):
        rule = rule.load()
    return rule, rule.check


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class _TagPlan(Record):
    """The statement rules whose ``tags`` admit one tag, and which of them each word set admits."""

    rules: list[StatementRule]
    gate_words: frozenset[str]  # every word of these rules' ``words`` gates
    fixed: _Planned | None  # the answer when none of them has a ``words`` gate
    by_words: dict[frozenset[str], _Planned] = field(default_factory=dict)

    def __init__(
        self,
        rules: list[StatementRule],
        gate_words: frozenset[str],
        fixed: _Planned | None,
        by_words: dict[frozenset[str], _Planned] = NEW,
    ) -> None:
        self.rules = rules
        self.gate_words = gate_words
        self.fixed = fixed
        self.by_words = {} if by_words is NEW else by_words


class _StatementPlan:
    """Which statement rules run on a statement: those whose ``tags`` and ``words`` gates let it in.

    The answer depends only on the statement's tag and on which gate words it holds, so it is
    worked out once per (tag, gate words present) and reused; rules keep their selection order.
    Same result as ``[r for r in rules if r.concerns(stmt)]``. A built-in rule's module is imported
    here, when a statement first lets the rule in (:mod:`dsql_lint.rules.catalog`).
    """

    def __init__(self, rules: list[StatementRule]) -> None:
        self._rules = rules
        self._by_tag: dict[str, _TagPlan] = {}

    def rules_for(self, stmt: Statement) -> _Planned:
        """The rules (with their bound ``check``) to run on ``stmt``."""
        plan = self._by_tag.get(stmt.tag)
        if plan is None:
            plan = self._by_tag[stmt.tag] = self._tag_plan(stmt.tag)
        if plan.fixed is not None:
            return plan.fixed
        words = stmt.words
        if type(words) is not list:  # a big text's (dsql_lint.text.packed): ask about each gate word, in C
            present = frozenset(w for w in plan.gate_words if w in words)
        else:
            present = plan.gate_words.intersection(words)  # a frozenset
        chosen = plan.by_words.get(present)
        if chosen is None:
            chosen = plan.by_words[present] = [
                _bound(r) for r in plan.rules if r.words is None or not r.words.isdisjoint(present)
            ]
        return chosen

    def _tag_plan(self, tag: str) -> _TagPlan:
        rules = [r for r in self._rules if r.tags is None or tag in r.tags]
        gate_words = frozenset(w for r in rules if r.words is not None for w in r.words)
        fixed: _Planned | None = None
        if all(r.words is None for r in rules):
            fixed = [_bound(r) for r in rules]
        return _TagPlan(rules, gate_words, fixed)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Linter(Record):
    """The rules chosen by some settings, instantiated once and applied to many scripts."""

    settings: Settings = field(default_factory=Settings)
    rules: list[Rule] = field(default_factory=list)

    def __init__(self, settings: Settings = NEW, rules: list[Rule] = NEW) -> None:
        self.settings = Settings() if settings is NEW else settings
        self.rules = [] if rules is NEW else rules
        self.__post_init__()

    def __post_init__(self) -> None:
        if not self.rules:
            self.rules = [rule() for rule in selected_rules(self.settings)]
        self._statement_rules = [r for r in self.rules if isinstance(r, StatementRule)]
        self._statement_plan = _StatementPlan(self._statement_rules)
        self._explaining = frozenset(r.code for r in self._statement_rules if r.explains_syntax)
        self._transaction_rules = [r for r in self.rules if isinstance(r, TransactionRule)]
        self._script_rules = [r for r in self.rules if isinstance(r, ScriptRule)]
        self._folder_rules = [r for r in self.rules if isinstance(r, FolderRule)]
        #: Whether a file's summary is needed: only the folder rules read it (the folder pass
        #: replays nothing without them), and summarizing is a fifth of a file's linting.
        self.summarizes = bool(self._folder_rules)
        self.context = Context(options=dict(self.settings.options), selected=frozenset(r.code for r in self.rules))
        self._suppressor = Suppressor([type(r) for r in self.rules], self.settings, lint_rules())

    def lint_source(self, source: Source, migration: MigrationFile | None = None) -> tuple[Script, list[Diagnostic]]:
        """Build the script for ``source`` as its migration tool runs it, and run every selected rule over it.

        Without ``migration`` the file is linted on its own: its format is recognised from
        its name and text, and the folder rules see it as a folder of one file. With it (a
        file of a run, see :mod:`dsql_lint.migrations`) the folder rules are left to
        :meth:`lint_folder`, called once after every file.
        """
        script, mfile = self.build(source, migration)
        found = self.lint_script(script)
        if migration is None and self.summarizes:
            from dsql_lint.migrations import FolderEntry, MigrationFolder, summarize

            found += self.lint_folder(MigrationFolder([FolderEntry(source, mfile, summarize(script))]))
            found.sort(key=DIAGNOSTIC_ORDER)
        return script, found

    def build(self, source: Source, migration: MigrationFile | None = None) -> tuple[Script, MigrationFile]:
        """The script of ``source`` shaped by its migration tool: up path only, the tool's transactions."""
        from dsql_lint.migrations import describe_single, shape_options, shape_script
        from dsql_lint.migrations.shape import section_markers

        settings = self.settings
        if migration is not None and migration.path == "-" and settings.migrations == "auto":
            migration = None  # stdin (alembic/django output piped in): recognise it from its text
        mfile = migration or describe_single(source.path, source.text, settings.migrations)
        options = shape_options(mfile, settings.include_down, settings.assume_in_transaction, settings.aws_adapter)
        from dsql_lint.frontend.script import (
            build_script,  # imports sqlglot: only when a file is linted, not on a cache hit
        )

        return shape_script(build_script(source, section_markers(mfile.format)), mfile, options), mfile

    def lint_folder(self, folder: MigrationFolder) -> list[Diagnostic]:
        """Run the folder rules once over migration files in order; findings in unreported files are dropped."""
        return FolderPass(self, folder).finish()

    def folder_pass(self) -> FolderPass:
        """A folder pass fed one file at a time, in order (see :class:`FolderPass`)."""
        return FolderPass(self)

    def lint_script(self, script: Script) -> list[Diagnostic]:
        """Run every selected rule over an already built script."""
        found: list[Diagnostic] = []
        context = self.context
        rules_for = self._statement_plan.rules_for
        for stmt in script.statements:
            if stmt.kind in _NOT_SQL:
                continue
            # The hot loop (rules x statements): _collect's work inlined; rules whose
            # tags/words gates exclude the statement are not called (StatementRule).
            mark = len(found)
            for srule, check in rules_for(stmt):
                try:
                    found.extend(check(stmt, context))
                except Exception as exc:  # a crashing rule is reported, never a traceback
                    found.append(self._crashed(srule, exc, script, stmt.start))
            failure = stmt.parse_failure
            if failure is not None:
                if failure.by_postgresql:
                    _drop_explained_parse_error(found, mark)
                elif self._explaining and any(d.code in self._explaining for d in found[mark:]):
                    found[mark:] = [d for d in found[mark:] if d.code != PARSE_ERROR_CODE]
                _drop_fixes_across_semicolons(stmt, found, mark)
        transaction_rules = self._transaction_rules
        for txn in script.transactions:
            for trule in transaction_rules:  # _collect's work inlined (a call per transaction and rule)
                try:
                    found.extend(trule.check(txn, context))
                except Exception as exc:  # a crashing rule is reported, never a traceback
                    start = txn.statements[0].start if txn.statements else 0
                    found.append(self._crashed(trule, exc, script, start))
        for crule in self._script_rules:
            self._collect(found, crule, crule.check, script, script, 0)
        found.sort(key=DIAGNOSTIC_ORDER)
        return self._suppressor.apply(script, found)

    def _collect(
        self,
        found: list[Diagnostic],
        rule: Rule,
        check: Callable[[Any, Context], Iterable[Diagnostic]],
        unit: object,
        script: Script,
        where: int,
    ) -> None:
        try:
            results: Iterable[Diagnostic] = check(unit, self.context)
            found.extend(results)
        except Exception as exc:  # a crashing rule is reported, never a traceback
            found.append(self._crashed(rule, exc, script, where))

    def _crashed(self, rule: Rule, exc: Exception, script: Script, where: int) -> Diagnostic:
        """The DSQL000 diagnostic for a rule that raised ``exc`` at offset ``where``."""
        line, column = script.source.position(where)
        import traceback  # only for a crash (~2 ms to import)

        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return Diagnostic(
            path=script.source.path,
            line=line,
            column=column,
            end_line=line,
            end_column=column,
            code=INTERNAL_ERROR_CODE,
            name="internal-error",
            severity=Severity.ERROR,
            message=f"rule {rule.code} ({rule.name}) crashed here: {type(exc).__name__}: {exc} "
            f"(at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})",
            help="this is a bug in dsql-lint or in a rule plugin; please report it with this statement",
            url=type(rule).doc_url(),
            start=where,
            end=where,
            source=script.source,
        )


class FolderPass:
    """The folder rules over migration files given in order, the shared replay advancing as files come.

    :meth:`Linter.lint_folder` is ``FolderPass(linter, folder).finish()``. A caller that gets the
    files one at a time (the process pool, as workers finish) can :meth:`add` each as soon as every
    earlier file is known: the rules that declare ``kinds`` (:class:`FolderRule` visitors) then see
    that file's changes at once, with the schema as the earlier files left it, exactly as in one
    replay at the end (a visitor is given the entry, the change, the schema right after it and the
    context, nothing about later files). Rules with their own ``check`` see the whole folder, in
    :meth:`finish`. The findings and their order are :meth:`Linter.lint_folder`'s: the ``check``
    rules' first, then the visitors' in replay order.
    """

    def __init__(self, linter: Linter, folder: MigrationFolder | None = None) -> None:
        if folder is None:
            from dsql_lint.migrations import MigrationFolder

            folder = MigrationFolder()
        self.folder = folder
        self._linter = linter
        self._visitors = [r for r in linter._folder_rules if r.kinds is not None and type(r).check is FolderRule.check]
        #: change kind -> the visitors that want it, with their bound ``visit`` (a crashed rule leaves).
        self._interested: dict[str, list[tuple[FolderRule, Any]]] = {}
        for rule in self._visitors:
            for kind in rule.kinds or ():
                self._interested.setdefault(kind, []).append((rule, rule.visit))
        #: With only visitors, a file's summary is let go once it is replayed (:data:`REPLAYED`).
        self._forget = all(r in self._visitors for r in linter._folder_rules)
        #: The visitors' findings; a crash is kept as (rule, exception) until the last file is known.
        self._found: list[Diagnostic | tuple[FolderRule, Exception]] = []
        #: With ``take``: the entries before this index were replayed and replaced by :func:`_passed`,
        #: and the reported ones' paths are here (a late finding on one of them is still shown).
        self._passed = 0
        self._shown: set[str] = set()
        # The replay walks folder.entries lazily: entries added later are replayed when reached.
        self._replay = folder.replay() if self._visitors else None

    @property
    def streams(self) -> bool:
        """Whether :meth:`add` can hand back a file's findings as it replays the file: every folder
        rule is a visitor, so no rule looks at the folder as a whole at the end."""
        return self._forget

    def add(self, entry: FolderEntry, take: bool = False) -> list[Diagnostic]:
        """Append the next file and replay its changes through the visitors.

        With ``take`` (and :attr:`streams`), return the findings the visitors made on this file,
        suppressed by its comments and per-file ignores as :meth:`finish` would (none when the
        file is not reported): :meth:`finish` then returns only the rest (a crash, which it reports
        on the last file, and a finding a visitor made on an earlier file). Else return nothing.
        """
        self.folder.entries.append(entry)
        found = self._found
        mark = len(found)
        count = len(entry.summary.changes)
        if self._replay is not None and count:
            from itertools import islice

            self._visit(islice(self._replay, count))  # stops right after the entry's last change
        if self._forget and self._replay is not None:
            from dsql_lint.migrations.summary import REPLAYED

            entry.summary = REPLAYED  # no rule reads it again: the folder holds no summary whole
        if not (take and self._forget):
            return []
        entries = self.folder.entries
        if self._replay is None or count:  # the replay is inside this entry: the earlier ones are passed
            shown = self._shown
            for j in range(self._passed, len(entries) - 1):
                if entries[j].reported:
                    shown.add(entries[j].path)
                entries[j] = _passed()  # nothing reads a replayed file again: let its source go
            self._passed = len(entries) - 1
        if len(found) == mark:
            return []
        path = entry.path
        mine = [d for d in found[mark:] if type(d) is not tuple and d.path == path]  # type: ignore[union-attr]
        if len(mine) < len(found) - mark:
            found[mark:] = [d for d in found[mark:] if type(d) is tuple or d.path != path]  # type: ignore[union-attr]
        else:
            del found[mark:]
        if not entry.reported or not mine:
            return []
        return self._linter._suppressor.apply_to_folder(mine, {path: entry.source})  # type: ignore[arg-type]

    def _visit(self, replay: Iterable[tuple[FolderEntry, Change, SchemaModel]]) -> None:
        interested = self._interested
        found = self._found
        extend = found.extend
        context = self._linter.context
        for entry, change, model in replay:
            for rule, visit in interested.get(change.kind, ()):
                try:
                    extend(visit(entry, change, model, context))
                except Exception as exc:  # reported once, and the rule sits out the rest of the replay
                    found.append((rule, exc))
                    for kind, wanting in interested.items():
                        interested[kind] = [pair for pair in wanting if pair[0] is not rule]

    def finish(self) -> list[Diagnostic]:
        """The rest of the replay, the ``check`` rules over the whole folder, suppressions: every finding."""
        linter = self._linter
        folder = self.folder
        found: list[Diagnostic] = []
        if not folder.entries:
            return found
        if self._replay is not None:
            self._visit(self._replay)  # whatever is left (files added to folder.entries directly)
        first = folder.entries[-1]
        stub = Script(source=first.source, statements=[], transactions=[], tokens=[])
        for frule in linter._folder_rules:
            if frule not in self._visitors:
                linter._collect(found, frule, frule.check, folder, stub, 0)
        for item in self._found:
            found.append(linter._crashed(item[0], item[1], stub, 0) if isinstance(item, tuple) else item)
        shown = self._shown | {e.path for e in folder.entries if e.reported}
        sources = {e.path: e.source for e in folder.entries}
        return linter._suppressor.apply_to_folder([d for d in found if d.path in shown], sources)


_PASSED: list[FolderEntry] = []


def _passed() -> FolderEntry:
    """What a streamed folder pass keeps in place of a file it has replayed: one shared entry,
    not reported, with an empty source (a finding a visitor makes on it later loses only the
    file's suppression comments; see :meth:`FolderPass.add`)."""
    if not _PASSED:
        from dsql_lint.migrations import FolderEntry, MigrationFile
        from dsql_lint.migrations.summary import REPLAYED

        _PASSED.append(FolderEntry(Source("", ""), MigrationFile("", "plain", "script"), REPLAYED, False))
    return _PASSED[0]


def _drop_fixes_across_semicolons(stmt: Statement, found: list[Diagnostic], mark: int) -> None:
    """Take the fix off a finding of an unparseable statement when an edit would swallow a ``;``.

    ``CREATE TABLE t (s int) WITH (fillfactor = 40;`` leaves a parenthesis open, so psql (and
    the splitter) run the statement to the end of the file; removing its ``WITH (...)`` once
    deleted every statement after it. A semicolon inside an edit of a statement that does not
    parse means the edit reaches past what the user wrote as one statement.
    """
    semicolons = [t.start for t in stmt.tokens if t.kind is TokenKind.PUNCT and t.text == ";"]
    if not semicolons:
        return
    for i in range(mark, len(found)):
        d = found[i]
        fix = d.fix
        if fix is not None and any(e.start <= at < e.end for e in fix.edits for at in semicolons):
            found[i] = replace(d, fix=None)


def _drop_explained_parse_error(found: list[Diagnostic], mark: int) -> None:
    """Drop the statement's DSQL001 when only PostgreSQL's grammar failed and a rule already explains it.

    sqlglot reads some statements PostgreSQL rejects; PostgreSQL's error is then the DSQL001
    finding. When one of the statement's own rules reports an error too (``CREATE INDEX ASYNC
    public.i``: the schema-qualified name, DSQL305), that finding says why in DSQL's terms,
    and a second "syntax error at or near ." on the same statement is noise.
    """
    mine = found[mark:]
    if any(d.code != PARSE_ERROR_CODE and d.severity is Severity.ERROR for d in mine):
        found[mark:] = [d for d in mine if d.code != PARSE_ERROR_CODE]
