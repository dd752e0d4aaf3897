"""The folder pass fed one file at a time (as the pool finishes files) finds exactly what one pass at the end finds."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import dsql_lint.run.parallel as parallel
from dsql_lint.config.settings import Settings
from dsql_lint.lint.engine import Linter
from dsql_lint.migrations import MigrationFolder, build_plan, summarize
from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.run.lint import lint_files
from dsql_lint.text.source import read_path
from tests.migrations.helpers import FIXTURES
from tests.migrations.test_folder_visitors import CountsTables, Crashes, _folder

ROOT = Path(__file__).resolve().parent.parent


def _generated(tmp_path: Path, files: int = 120) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import write_folder  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    folder = tmp_path / "generated"
    write_folder(folder, files=files, statements=files * 10)
    return folder


def _entries(folder: Path, linter: Linter, include_down: bool = False) -> list[FolderEntry]:
    plan = build_plan([str(folder)], include_down=include_down)
    entries = []
    for mfile in plan.files:
        source = read_path(Path(mfile.path))
        script, _ = linter.build(source, mfile)
        entries.append(FolderEntry(source, mfile, summarize(script), plan.is_reported(mfile.path)))
    return entries


def _fed(linter: Linter, entries: list[FolderEntry]) -> list[object]:
    folder_pass = linter.folder_pass()
    for entry in entries:
        folder_pass.add(entry)
    return folder_pass.finish()


def _folders(tmp_path: Path) -> list[tuple[Path, bool]]:
    fixtures = [(p, down) for p in sorted(FIXTURES.iterdir()) if p.is_dir() for down in (False, True)]
    return [(_generated(tmp_path), False), *fixtures]


@pytest.fixture
def low_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The history rules' limits lowered, so that small folders break them many times over."""
    import importlib

    limits = {"too_many_columns": 3, "too_many_indexes": 1, "too_many_schemas": 1, "too_many_tables": 4}
    for name, limit in limits.items():
        monkeypatch.setattr(importlib.import_module(f"dsql_lint.rules.history.{name}"), "LIMIT", limit)


@pytest.mark.usefixtures("low_limits")
@pytest.mark.parametrize("preset", ["recommended", "all"])
def test_fed_one_at_a_time_equals_one_pass(tmp_path: Path, preset: str) -> None:
    linter = Linter(Settings(preset=preset))
    compared = 0
    for folder, down in _folders(tmp_path):
        entries = _entries(folder, linter, down)
        whole = linter.lint_folder(MigrationFolder(list(entries)))
        fed = _fed(linter, entries)
        assert fed == whole, folder  # same findings, same order
        assert [d.source for d in fed] == [d.source for d in whole]  # type: ignore[attr-defined]
        compared += len(whole)
    assert compared > 100


def test_a_crash_is_reported_as_at_the_end_of_one_pass() -> None:
    linter = Linter(rules=[Crashes(), CountsTables()])
    entries = _folder().entries
    whole = linter.lint_folder(MigrationFolder(list(entries)))
    CountsTables.seen.clear()
    fed = _fed(linter, entries)
    assert fed == whole
    assert [d.code for d in fed].count("DSQL000") == 1
    assert next(d for d in fed if d.code == "DSQL000").path == entries[-1].path  # placed on the last file, as before


def test_an_empty_pass_finds_nothing() -> None:
    assert Linter(Settings(preset="all")).folder_pass().finish() == []


@pytest.mark.usefixtures("low_limits")
def test_the_pool_feeds_the_folder_pass_while_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _generated(tmp_path, 80)
    fed_during_pool: list[int] = []
    real = parallel._FolderFeed.pump

    def spy(self: parallel._FolderFeed) -> Iterator[object]:
        yield from real(self)
        fed_during_pool.append(self.next)

    monkeypatch.setattr(parallel._FolderFeed, "pump", spy)
    linter = Linter(Settings(preset="all"))
    pooled = lint_files([str(folder)], linter, jobs=2)
    serial = lint_files([str(folder)], Linter(Settings(preset="all")), jobs=1)
    assert [f.diagnostics for f in pooled.files] == [f.diagnostics for f in serial.files]
    assert sum(d.code == "DSQL823" for d in pooled.diagnostics) > 50
    assert any(0 < n < 80 for n in fed_during_pool)  # some files were replayed before the last one came back


def test_the_sort_key_read_in_c_is_diagnostic_sort_key() -> None:
    from dsql_lint.model import DIAGNOSTIC_ORDER  # what the run, the engine and the suppressions sort by

    result = lint_files([str(FIXTURES / "flyway")], Linter(Settings(preset="all")))
    found = [d for f in result.files for d in f.diagnostics]
    assert found and all(DIAGNOSTIC_ORDER(d) == d.sort_key() for d in found)
