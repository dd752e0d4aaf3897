"""Lint files and texts: the orchestration shared by the CLI and the Python API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from dsql_lint.config.settings import Settings
from dsql_lint.lint.engine import Linter
from dsql_lint.model import Diagnostic, FixSafety, Severity
from dsql_lint.records import NEW, Record
from dsql_lint.text.source import Source

if TYPE_CHECKING:
    from dsql_lint.migrations import MigrationFile
    from dsql_lint.run.cache import Cache
    from dsql_lint.run.progress import ProgressBar


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class FileResult(Record):
    """What linting one file produced: diagnostics, or an error that kept it from being linted."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    source: Source | None = None
    #: With ``--fix``/``--diff``: findings whose fix was applied, and fixes rolled back (see dsql_lint.fix.apply).
    fixed: list[Diagnostic] = field(default_factory=list)
    not_fixed: list[Diagnostic] = field(default_factory=list)
    #: How the migration tool runs the file (set by :func:`lint_files`; ``--fix`` re-lints with it).
    migration: MigrationFile | None = None

    def __init__(
        self,
        path: str,
        diagnostics: list[Diagnostic] = NEW,
        error: str | None = None,
        source: Source | None = None,
        fixed: list[Diagnostic] = NEW,
        not_fixed: list[Diagnostic] = NEW,
        migration: MigrationFile | None = None,
    ) -> None:
        self.path = path
        self.diagnostics = [] if diagnostics is NEW else diagnostics
        self.error = error
        self.source = source
        self.fixed = [] if fixed is NEW else fixed
        self.not_fixed = [] if not_fixed is NEW else not_fixed
        self.migration = migration


class Run:
    """What a report reads of a run: its findings, once, in file then position order
    (:meth:`findings`), then its counts (:meth:`tally`) and the files that could not be linted.

    :class:`RunResult` holds every file's result; a :class:`StreamedRun` is linted as its report
    reads it and keeps only the counts.
    """

    #: The plan's notice per history folder (see :attr:`dsql_lint.migrations.Plan.notes`).
    notes: dict[str, str]
    #: True when fixes were applied (``--fix``); only a :class:`RunResult` is ever fixed.
    fixing: bool
    #: True with ``--unsafe-fixes``: unsafe fixes count as applicable, not hidden.
    unsafe_fixes: bool

    def findings(self) -> Iterator[Diagnostic]:
        """Every diagnostic once, in file order then position order: what a report writes."""
        for f in self.results():
            yield from f.diagnostics

    def results(self) -> Iterator[FileResult]:
        """Each file's result, in order, once (a report per file reads these instead of :meth:`findings`).
        In a streamed run a folder rule's finding on a file given out before comes last, in a
        second result for that file."""
        raise NotImplementedError

    def tally(self) -> Tally:
        """The run's counts (see :class:`Tally`)."""
        raise NotImplementedError

    @property
    def file_errors(self) -> list[FileResult]:
        """Files that could not be linted."""
        raise NotImplementedError


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class RunResult(Record, Run):
    """The results of one run over many files."""

    files: list[FileResult]
    #: True when fixes were applied (``--fix``): ``diagnostics`` are then the findings that remain.
    fixing: bool = False
    #: True with ``--unsafe-fixes``: unsafe fixes count as applicable, not hidden.
    unsafe_fixes: bool = False
    #: The plan's notice per history folder (see :attr:`dsql_lint.migrations.Plan.notes`).
    notes: dict[str, str] = field(default_factory=dict)

    def __init__(
        self,
        files: list[FileResult],
        fixing: bool = False,
        unsafe_fixes: bool = False,
        notes: dict[str, str] = NEW,
    ) -> None:
        self.files = files
        self.fixing = fixing
        self.unsafe_fixes = unsafe_fixes
        self.notes = {} if notes is NEW else notes

    @property
    def fixed(self) -> list[Diagnostic]:
        """Findings that ``--fix`` removed."""
        return [d for f in self.files for d in f.fixed]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """All diagnostics, in file order then position order."""
        return [d for f in self.files for d in f.diagnostics]

    @property
    def file_errors(self) -> list[FileResult]:
        """Files that could not be linted."""
        return [f for f in self.files if f.error is not None]

    def count(self, severity: Severity) -> int:
        """How many diagnostics have ``severity``."""
        return sum(1 for d in self.diagnostics if d.severity is severity)

    def results(self) -> Iterator[FileResult]:
        return iter(self.files)

    def tally(self) -> Tally:
        tally = Tally()
        for f in self.files:
            tally.add(f)
        return tally


_SEVERITY_OF = attrgetter("severity")
_CODE_OF = attrgetter("code")
_FIX_OF = attrgetter("fix")


class Tally:
    """What a report's summary needs of a run, counted file by file: no finding or source is kept."""

    __slots__ = ("by_code", "by_severity", "failed", "files", "fixable", "fixes", "tools", "total", "with_findings")

    def __init__(self) -> None:
        #: Files of the run, those that could not be linted included.
        self.files = 0
        #: The files that could not be linted: path and error only.
        self.failed: list[FileResult] = []
        #: Files with at least one finding (not counting those that could not be linted).
        self.with_findings = 0
        self.total = 0
        self.by_severity: Counter[Severity] = Counter()
        self.by_code: Counter[str] = Counter()
        #: Findings that carry a fix, and of those with edits, how many by safety.
        self.fixable = 0
        self.fixes: Counter[FixSafety] = Counter()
        #: Files per (history folder, migration tool), in the order first seen.
        self.tools: dict[tuple[str, str], int] = {}

    def add(self, f: FileResult, again: bool = False) -> None:
        """Count one file's result; ``again``: more findings of a file counted before (as a file with
        findings or not: the caller knows)."""
        if not again:
            self.files += 1
            if f.error is not None:
                self.failed.append(FileResult(f.path, error=f.error))
            mfile = f.migration
            if mfile is not None and mfile.path != "-":
                key = (mfile.group, mfile.format)
                self.tools[key] = self.tools.get(key, 0) + 1
        diagnostics = f.diagnostics
        if not diagnostics:
            return
        if f.error is None and not again:
            self.with_findings += 1
        self.total += len(diagnostics)
        self.by_severity.update(map(_SEVERITY_OF, diagnostics))  # (counted in C)
        self.by_code.update(map(_CODE_OF, diagnostics))
        for fix in filter(None, map(_FIX_OF, diagnostics)):
            self.fixable += 1
            if fix.edits:
                self.fixes[fix.safety] += 1

    def at_least(self, severity: Severity) -> bool:
        """Whether any finding is at least as severe as ``severity``."""
        return any(n and s.rank >= severity.rank for s, n in self.by_severity.items())


class StreamedRun(Run):
    """A run whose files are linted while its report is written (:func:`stream_files`).

    Each file's result is counted (:class:`Tally`), handed to the report through
    :meth:`findings` and let go, so that a report of a 10,000-file folder does not hold every
    finding and every source (issue 18). A report reads the findings once, then the counts.
    """

    def __init__(
        self,
        results: Iterator[FileResult],
        notes: dict[str, str],
        on_error: Callable[[FileResult], None] | None = None,
        progress: ProgressBar | None = None,
    ) -> None:
        self.notes = notes
        #: The progress bar drawn while the files are linted (erased when the last one is given out).
        self.progress = progress
        self.fixing = False
        self.unsafe_fixes = False
        self._results = results
        #: Called with each file that could not be linted, as the run reaches it.
        self.on_error = on_error
        self._tally = Tally()
        self._seen: set[str] = set()
        self._with_findings: set[str] = set()

    @property
    def file_errors(self) -> list[FileResult]:
        return self.tally().failed

    def results(self) -> Iterator[FileResult]:
        return self._advance()

    def tally(self) -> Tally:
        for _ in self._advance():  # what no report read yet is linted and counted now
            pass
        return self._tally

    def _advance(self) -> Iterator[FileResult]:
        try:
            yield from self._count()
        finally:
            if self.progress is not None:
                self.progress.close()

    def _count(self) -> Iterator[FileResult]:
        tally = self._tally
        seen = self._seen
        for f in self._results:
            path = f.path
            again = path in seen
            seen.add(path)
            tally.add(f, again)
            if f.diagnostics and f.error is None:
                if again and path not in self._with_findings:  # a folder rule's late finding in a clean file
                    tally.with_findings += 1
                self._with_findings.add(path)
            if f.error is not None and self.on_error is not None and not again:
                if self.progress is not None:
                    self.progress.clear()  # (the sentence goes where the bar was)
                self.on_error(f)
            yield f


def stream_files(
    paths: Iterable[str],
    linter: Linter,
    stdin_filename: str | None = None,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    on_error: Callable[[FileResult], None] | None = None,
    progress: ProgressBar | None = None,
) -> StreamedRun:
    """:func:`lint_files` for a report that writes each file's findings as they come (see :class:`StreamedRun`).

    The plan is made now (its errors are raised here); the files are linted as the report reads them.
    """
    from dsql_lint.migrations import build_plan
    from dsql_lint.run.parallel import iter_plan

    settings = linter.settings
    plan = build_plan(paths, settings.migrations, settings.include_down, settings.diff_base)
    results = iter_plan(plan, linter, stdin_filename, cache=cache, jobs=jobs, progress=progress)
    return StreamedRun(results, plan.notes, on_error, progress)


def lint_source(source: Source, linter: Linter) -> FileResult:
    """Lint one decoded source."""
    _, diagnostics = linter.lint_source(source)
    return FileResult(source.path, diagnostics, source=source)


def lint_files(
    paths: Iterable[str],
    linter: Linter,
    stdin_filename: str | None = None,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Lint files and directories (``-`` reads stdin) with one linter, in migration order.

    Per file: the script is shaped by its migration tool and the per-file rules run;
    then the folder rules run once over every file's summary (see dsql_lint.migrations).
    The per-file pass asks ``cache`` first and runs in ``jobs`` processes when there are
    many files (see dsql_lint.run.parallel); ``progress(done, total)`` is called as files finish.
    """
    from dsql_lint.migrations import build_plan
    from dsql_lint.run.parallel import lint_plan

    settings = linter.settings
    plan = build_plan(paths, settings.migrations, settings.include_down, settings.diff_base)
    files = lint_plan(plan, linter, stdin_filename, cache=cache, jobs=jobs, progress=progress)
    return RunResult(files, notes=plan.notes)


def make_linter(settings: Settings | None = None) -> Linter:
    """A linter for ``settings`` (the defaults when None)."""
    return Linter(settings or Settings())
