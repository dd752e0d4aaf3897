"""Lint files and texts: the orchestration shared by the CLI and the Python API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dsql_lint.engine import Linter
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.records import NEW, Record
from dsql_lint.settings import Settings
from dsql_lint.source import Source

if TYPE_CHECKING:
    from collections.abc import Callable

    from dsql_lint.cache import Cache
    from dsql_lint.migrations import MigrationFile


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class FileResult(Record):
    """What linting one file produced: diagnostics, or an error that kept it from being linted."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    source: Source | None = None
    #: With ``--fix``/``--diff``: findings whose fix was applied, and fixes rolled back (see dsql_lint.fix).
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


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class RunResult(Record):
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
    many files (see dsql_lint.parallel); ``progress(done, total)`` is called as files finish.
    """
    from dsql_lint.migrations import build_plan
    from dsql_lint.parallel import lint_plan

    settings = linter.settings
    plan = build_plan(paths, settings.migrations, settings.include_down, settings.diff_base)
    files = lint_plan(plan, linter, stdin_filename, cache=cache, jobs=jobs, progress=progress)
    return RunResult(files, notes=plan.notes)


def make_linter(settings: Settings | None = None) -> Linter:
    """A linter for ``settings`` (the defaults when None)."""
    return Linter(settings or Settings())
