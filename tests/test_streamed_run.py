"""A streamed run (``dsql-lint check`` in a format written finding by finding) reports exactly
what a whole run reports, and lets each file's findings and source go once they are written."""

from __future__ import annotations

import gc
import io
import weakref
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.settings import Settings
from dsql_lint.lint.engine import Linter
from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.report import get_reporter
from dsql_lint.rules.api import Context, FolderRule
from dsql_lint.run.cache import Cache
from dsql_lint.run.lint import Run, RunResult, StreamedRun, lint_files, stream_files
from dsql_lint.text.source import Source
from tests.migrations.test_folder_visitors import Crashes
from tests.test_folder_feed import _generated

STREAMED = ["text", "concise", "json", "github", "gitlab", "sarif", "junit"]


def _rendered(run: Run, fmt: str) -> str:
    out = io.StringIO()
    get_reporter(fmt)(run, out, False)
    return out.getvalue()


def _both(folder: Path, linter: Linter, fmt: str, **options: Any) -> tuple[str, str]:
    whole = lint_files([str(folder)], linter, **options)
    streamed = stream_files([str(folder)], linter, **options)
    assert isinstance(whole, RunResult) and isinstance(streamed, StreamedRun)
    assert [f.path.rsplit("/", 1)[-1] for f in whole.file_errors] == ["V9999__broken.sql"]
    return _rendered(whole, fmt), _rendered(streamed, fmt)


@pytest.mark.parametrize("fmt", STREAMED)
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_streamed_report_is_the_whole_run_s_report(tmp_path: Path, fmt: str, jobs: int) -> None:
    folder = _generated(tmp_path, 60)
    (folder / "V9999__broken.sql").write_bytes(b"SELECT '\xff';\n")  # cannot be decoded: a file error
    linter = Linter(Settings(preset="all"))
    whole, streamed = _both(folder, linter, fmt, jobs=jobs)
    assert streamed == whole
    assert len(whole) > 10_000


@pytest.mark.parametrize("state", ["cold", "warm", "one changed"])
def test_a_streamed_report_with_the_cache_is_the_whole_run_s_report(tmp_path: Path, state: str) -> None:
    folder = _generated(tmp_path, files=30)
    linter = Linter(Settings())
    directory = tmp_path / "cache"
    if state != "cold":
        lint_files([str(folder)], linter, cache=Cache.open(directory, linter.settings.cache_key()))
    if state == "one changed":
        changed = sorted(folder.iterdir())[10]
        changed.write_text(changed.read_text(encoding="utf-8") + "\nCREATE INDEX i ON t (a);\n", encoding="utf-8")
    whole = lint_files([str(folder)], linter, cache=Cache.open(directory, linter.settings.cache_key()))
    streamed = stream_files([str(folder)], linter, cache=Cache.open(directory, linter.settings.cache_key()))
    assert _rendered(streamed, "json") == _rendered(whole, "json")


@pytest.mark.parametrize("state", ["no cache", "every file cached", "one changed in the middle"])
def test_each_file_s_source_is_let_go_once_its_findings_are_written(tmp_path: Path, state: str) -> None:
    folder = _generated(tmp_path, files=40)
    cache = None
    if state != "no cache":
        settings = Settings(preset="all")
        lint_files([str(folder)], Linter(settings), cache=Cache.open(tmp_path / "c", settings.cache_key()))
        cache = Cache.open(tmp_path / "c", settings.cache_key())
    if state == "one changed in the middle":
        changed = sorted(folder.iterdir())[20]
        changed.write_text(changed.read_text(encoding="utf-8") + "\nCREATE INDEX i ON t (a);\n", encoding="utf-8")
    run = stream_files([str(folder)], Linter(Settings(preset="all")), cache=cache)
    sources: list[weakref.ref[Source]] = []
    alive_later = []
    alive_at_all = []
    for d in run.findings():
        if d.source is not None and (not sources or sources[-1]() is not d.source):
            sources.append(weakref.ref(d.source))
            gc.collect()
            alive_later.append(sum(1 for s in sources[:-2] if s() is not None))
            alive_at_all.append(sum(1 for o in gc.get_objects() if type(o) is Source and o.text))
    assert len(sources) >= 30
    # Files two or more behind the one being written are gone (the one before it may still be
    # waiting as the folder pass's last file) ...
    assert max(alive_later) == 0
    # ... and those after it are not read yet (nor decoded from the cache): a handful of texts at a time.
    assert max(alive_at_all) <= 4, alive_at_all
    assert run.tally().files == len(list(folder.iterdir()))


class TablesOnTheFirstFile(FolderRule):
    """Reports every CREATE TABLE on the first file it saw (a test rule breaking the visitor contract)."""

    code: ClassVar[str] = "TEST903"
    name: ClassVar[str] = "tables-on-the-first-file"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "reports on the first file"
    kinds: ClassVar[frozenset[str]] = frozenset({"create_table"})

    def __init__(self) -> None:
        self.first: Source | None = None

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterator[Diagnostic]:
        if self.first is None:
            self.first = entry.source
        yield self.report(self.first, 0, 1, message=f"table {change.table}")


def _three_files(tmp_path: Path) -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "V1__a.sql").write_text("CREATE TABLE a (id int PRIMARY KEY);\n", encoding="utf-8")
    (folder / "V2__b.sql").write_text("CREATE TABLE b (id int PRIMARY KEY);\n", encoding="utf-8")
    (folder / "V3__c.sql").write_text("CREATE TABLE c (id int PRIMARY KEY);\n", encoding="utf-8")
    return folder


def test_a_finding_on_a_file_already_written_is_still_reported_and_counted(tmp_path: Path) -> None:
    folder = _three_files(tmp_path)
    linter = Linter(Settings(), rules=[TablesOnTheFirstFile()])
    whole = lint_files([str(folder)], linter)
    linter = Linter(Settings(), rules=[TablesOnTheFirstFile()])
    streamed = stream_files([str(folder)], linter)
    found = [(d.path.rsplit("/", 1)[-1], d.message) for d in streamed.findings()]
    assert sorted(found) == sorted((d.path.rsplit("/", 1)[-1], d.message) for d in whole.diagnostics)
    assert len(found) == 3
    assert streamed.tally().files == 3 and streamed.tally().with_findings == 1 and streamed.tally().total == 3


def test_a_crashed_folder_rule_is_reported_on_the_last_file_as_in_a_whole_run(tmp_path: Path) -> None:
    folder = _three_files(tmp_path)
    whole = lint_files([str(folder)], Linter(Settings(), rules=[Crashes()]))
    streamed = stream_files([str(folder)], Linter(Settings(), rules=[Crashes()]))
    shown = [(d.path, d.line, d.code, d.message) for d in streamed.findings()]
    assert shown == [(d.path, d.line, d.code, d.message) for d in whole.diagnostics]
    assert [p.rsplit("/", 1)[-1] for p, *_ in shown] == ["V3__c.sql"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_command_s_report_and_exit_code_are_those_of_a_whole_run(tmp_path: Path, fmt: str) -> None:
    folder = _generated(tmp_path, files=30)
    streamed = CliRunner().invoke(main, ["check", "--no-cache", "--format", fmt, str(folder)])
    whole = CliRunner().invoke(main, ["check", "--no-cache", "--format", fmt, "--statistics", str(folder)])
    assert streamed.exit_code == whole.exit_code == 1
    lint = lint_files([str(folder)], Linter(Settings()))
    assert streamed.stdout == _rendered(lint, fmt)


def test_a_file_that_cannot_be_linted_is_said_on_standard_error_and_exits_2(tmp_path: Path) -> None:
    folder = _three_files(tmp_path)
    (folder / "V2__b.sql").write_bytes(b"SELECT '\xff';\n")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", str(folder)])
    assert result.exit_code == 2
    assert "V2__b.sql" in result.stderr and "UTF-8" in result.stderr
    assert '"unreadable_files": 1' in result.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_findings_scroll_above_the_progress_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Standard output and standard error on one terminal: each write of the report erases the bar
    first, the bar comes back under it, and what stays on the screen is the whole run's report."""
    import re

    import dsql_lint.report
    import dsql_lint.run.progress as progress_module
    from dsql_lint.cli.speed_options import report_stream
    from dsql_lint.report.text import write_text
    from dsql_lint.run.progress import ProgressBar

    monkeypatch.setattr(dsql_lint.report, "BATCH", 8)  # (a write per 8 findings, not per 512: 30 files)
    folder = _generated(tmp_path, files=30)
    terminal = _Terminal()
    bar = ProgressBar(terminal, min_files=5)
    clock = iter(range(10**6))  # (each step a second later: the bar draws at every one, not ten times a second)
    monkeypatch.setattr(progress_module, "time", SimpleNamespace(monotonic=lambda: float(next(clock))))
    run = stream_files([str(folder)], Linter(Settings()), progress=bar)
    write_text(run, report_stream(run, terminal), False)
    screen = terminal.getvalue()
    draws = [m.start() for m in re.finditer(r"\r\[[#.]+\] \d+/\d+ files", screen)]
    first_finding = screen.index("DSQL")
    assert any(at > first_finding for at in draws)  # the bar came back under findings already written
    assert re.search(r"\] \d+/\d+ files[^\r]", screen) is None  # and was erased before each write
    shown = re.sub(r"\r {60}\r", "", re.sub(r"\r\[[#.]+\] \d+/\d+ files", "", screen))
    assert shown == _rendered(lint_files([str(folder)], Linter(Settings())), "text")
