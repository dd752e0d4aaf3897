"""Linting many files in a process pool gives exactly the serial results, in the same order; the progress bar."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import dsql_lint.run.parallel as parallel
from dsql_lint.cli.app import main
from dsql_lint.config.settings import Settings
from dsql_lint.run.cache import Cache
from dsql_lint.run.lint import lint_files, make_linter
from dsql_lint.run.progress import ProgressBar, wanted

STATEMENTS = [
    "CREATE TABLE t{n} (id serial PRIMARY KEY, name text);",
    "CREATE INDEX i{n} ON t{n} (name DESC);",
    "CREATE INDEX ASYNC j{n} ON t{n} (name);",
    "ALTER TABLE t{n} ADD COLUMN c{n} integer;",
    "INSERT INTO t{n} (name) VALUES ('it''s {n}');",
    "INSERT INTO t{n} VALUES (1,;",
    "TRUNCATE t{n};",
    "BEGIN;\nCREATE TABLE x{n} (a int);\nCREATE TABLE y{n} (a int);\nCOMMIT;",
]


@pytest.fixture(autouse=True)
def _stable_code_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work may edit dsql_lint's files during a test; that must not look like a new version here."""
    import dsql_lint.rules.entrypoints

    monkeypatch.setattr(dsql_lint.rules.entrypoints, "_package_stamp", lambda: "test")


def _folder(tmp_path: Path, files: int = 60) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    for n in range(files):
        body = "\n".join(STATEMENTS[(n + k) % len(STATEMENTS)].format(n=n) for k in range(n % 5 + 1))
        (folder / f"{n:03d}_change.sql").write_text(body + "\n", encoding="utf-8")
    (folder / "999_binary.sql").write_bytes(b"\x00\x01 not sql")
    return folder


def _facts(result) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [
        (f.path, f.error, [(d.line, d.column, d.end_column, d.code, d.message, d.fix) for d in f.diagnostics])
        for f in result.files
    ]


def _lint(folder: Path, jobs: int, cache: Cache | None = None):  # type: ignore[no-untyped-def]
    return lint_files([str(folder)], make_linter(Settings(preset="all")), cache=cache, jobs=jobs)


def test_pool_results_equal_serial_results_in_the_same_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    used = []
    real = parallel._pool_map

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        used.append(args[3])
        yield from real(*args, **kwargs)

    monkeypatch.setattr(parallel, "_pool_map", spy)
    serial = _lint(folder, jobs=1)
    assert not used
    pooled = _lint(folder, jobs=2)
    assert used == [2]  # the pool really ran, with two workers
    assert _facts(pooled) == _facts(serial)
    assert [f.path for f in pooled.files] == sorted(f.path for f in pooled.files)
    assert any(f.error for f in pooled.files) and any(d.code == "DSQL001" for d in pooled.diagnostics)
    assert all(d.source is not None for d in pooled.diagnostics)


def test_pool_results_fill_the_cache_like_serial_ones(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    serial = _lint(folder, jobs=1)
    pooled = _lint(folder, jobs=2, cache=Cache.open(tmp_path / "c", Settings(preset="all").cache_key()))
    cache = Cache.open(tmp_path / "c", Settings(preset="all").cache_key())
    cached = _lint(folder, jobs=2, cache=cache)
    assert cache.misses == 1 and cache.hits == 60  # the binary file is an error, never cached
    assert _facts(cached) == _facts(pooled) == _facts(serial)


def test_few_files_are_linted_without_a_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, files=3)

    def no_pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a pool was started for three files")

    monkeypatch.setattr(parallel, "_pool_map", no_pool)
    assert len(_lint(folder, jobs=8).files) == 4


def test_jobs_option_is_accepted_and_output_is_the_same(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    runner = CliRunner()
    one = runner.invoke(main, ["check", "--no-cache", "--preset", "all", "-j", "1", str(folder)])
    two = runner.invoke(main, ["check", "--no-cache", "--preset", "all", "--jobs", "2", str(folder)])
    assert one.exit_code == two.exit_code == 2  # the binary file
    assert one.output == two.output


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_is_drawn_on_a_terminal_for_many_files_and_erased() -> None:
    stream = _Tty()
    bar = ProgressBar(stream, min_files=50)
    for done in range(1, 101):
        bar(done, 100)
    bar.close()
    text = stream.getvalue()
    assert "100/100 files" in text and "[" + "#" * 30 + "]" in text
    assert text.endswith("\r")


def test_progress_bar_stays_silent_for_few_files() -> None:
    stream = _Tty()
    bar = ProgressBar(stream, min_files=50)
    for done in range(1, 11):
        bar(done, 10)
    bar.close()
    assert stream.getvalue() == ""


def test_progress_bar_only_for_text_on_a_terminal() -> None:
    assert wanted("text", _Tty())
    assert not wanted("text", io.StringIO())
    for machine in ("json", "sarif", "github", "gitlab", "junit", "concise"):
        assert not wanted(machine, _Tty())


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = _folder(tmp_path, files=70)
    result = subprocess.run(
        [sys.executable, "-m", "dsql_lint", "check", "--no-cache", str(folder)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "files" in result.stdout  # the summary line
    assert "\r" not in result.stderr and "#" not in result.stderr
