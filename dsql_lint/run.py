"""Lint files and texts: the orchestration shared by the CLI and the Python API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dsql_lint.discover import STDIN
from dsql_lint.engine import Linter
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.settings import Settings
from dsql_lint.source import Source, SourceError, read_path, read_stdin


@dataclass
class FileResult:
    """What linting one file produced: diagnostics, or an error that kept it from being linted."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    source: Source | None = None


@dataclass
class RunResult:
    """The results of one run over many files."""

    files: list[FileResult]

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


def lint_files(paths: Iterable[str], linter: Linter, stdin_filename: str | None = None) -> RunResult:
    """Lint files and directories (``-`` reads stdin) with one linter, in migration order.

    Per file: the script is shaped by its migration tool and the per-file rules run;
    then the folder rules run once over every file's summary (see dsql_lint.migrations).
    """
    from dsql_lint.migrations import FolderEntry, MigrationFolder, build_plan, summarize

    settings = linter.settings
    plan = build_plan(paths, settings.migrations, settings.include_down, settings.diff_base)
    results = []
    folder = MigrationFolder()
    for mfile in plan.files:
        path = mfile.path
        try:
            if path == STDIN:
                source = read_stdin(stdin_filename or STDIN)
            else:
                source = read_path(Path(path))
        except SourceError as exc:
            if plan.is_reported(path):
                results.append(FileResult(exc.path, error=exc.message))
            continue
        reported = plan.is_reported(path)
        script, _ = linter.build(source, mfile)
        if reported:
            results.append(FileResult(source.path, linter.lint_script(script), source=source))
        folder.entries.append(FolderEntry(source, mfile, summarize(script), reported))
    by_path = {r.path: r for r in results}
    for diagnostic in linter.lint_folder(folder):
        target = by_path.get(diagnostic.path)
        if target is not None:
            target.diagnostics.append(diagnostic)
            target.diagnostics.sort(key=Diagnostic.sort_key)
    return RunResult(results)


def make_linter(settings: Settings | None = None) -> Linter:
    """A linter for ``settings`` (the defaults when None)."""
    return Linter(settings or Settings())
