"""The fork pool of dsql_lint.run.parallel: chunks cover the plan, results all arrive, failures surface."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dsql_lint.run.parallel as parallel
from dsql_lint.config.settings import Settings
from dsql_lint.run.lint import lint_files, make_linter

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the fork pool runs where fork exists")


@given(st.integers(min_value=0, max_value=200_000), st.integers(min_value=1, max_value=64))
def test_chunks_cover_the_jobs_in_order_and_fit_one_atomic_write(count: int, workers: int) -> None:
    ranges = parallel._chunks(count, workers)
    assert [i for a, b in ranges for i in range(a, b)] == list(range(count))
    assert all(b > a for a, b in ranges)
    assert len(ranges) * parallel._TASK.size <= 4096  # PIPE_BUF: the one write of every task is atomic
    sizes = [b - a for a, b in ranges]
    assert sizes == sorted(sizes, reverse=True)  # never a big chunk left for the end


def _folder(tmp_path: Path, files: int = 40) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    for n in range(files):
        (folder / f"V{n + 1}__c.sql").write_text(f"CREATE TABLE t{n} (id int PRIMARY KEY);\nTRUNCATE t{n};\n")
    return folder


def _lint(folder: Path) -> Any:
    return lint_files([str(folder)], make_linter(Settings()), jobs=2)


def test_every_file_comes_back_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = parallel._fork_map

    def spy(jobs: Any, workers: int) -> Any:
        for done in real(jobs, workers):
            seen.append(done.index)
            yield done

    monkeypatch.setattr(parallel, "_fork_map", spy)
    result = _lint(_folder(tmp_path, 100))
    assert sorted(seen) == list(range(100))
    assert len(result.files) == 100 and all(f.diagnostics for f in result.files)


def test_an_exception_in_a_worker_is_raised_in_the_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = parallel._work_row

    def failing(job: Any) -> Any:
        if job[0] == 7:
            raise LookupError("rule table broken")
        return real(job)

    monkeypatch.setattr(parallel, "_work_row", failing)
    with pytest.raises(LookupError, match="rule table broken") as info:
        _lint(_folder(tmp_path))
    assert "failing" in str(info.value.__cause__)  # the worker's traceback


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = parallel._work_row

    def dying(job: Any) -> Any:
        if job[0] == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(job)

    monkeypatch.setattr(parallel, "_work_row", dying)
    with pytest.raises(parallel.WorkerError, match="signal 9"):
        _lint(_folder(tmp_path))


def test_workers_are_reaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    _lint(_folder(tmp_path))
    assert len(forked) == 2
    for pid in forked:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


def test_a_stopped_worker_is_an_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGSTOP (a debugger, a stray ``kill -STOP``) on a worker: the run says so and ends."""
    real = parallel._work_row

    def stopping(job: Any) -> Any:
        if job[0] == 5:
            os.kill(os.getpid(), signal.SIGSTOP)
        return real(job)

    monkeypatch.setattr(parallel, "_work_row", stopping)
    monkeypatch.setattr(parallel, "STOPPED_GRACE", 0.5)
    monkeypatch.setattr(parallel, "_WATCH_MS", 100)
    with pytest.raises(parallel.WorkerError, match=r"was stopped \(SIGSTOP\) and has not continued"):
        _lint(_folder(tmp_path))


def test_a_worker_stopped_and_continued_finishes_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-Z then ``fg`` stops and continues the workers: that is not a failure."""
    real = parallel._work_row

    def pausing(job: Any) -> Any:
        if job[0] == 5:
            pid = os.getpid()
            if os.fork() == 0:  # pragma: no cover - a helper that wakes the worker up
                import time

                time.sleep(0.3)
                os.kill(pid, signal.SIGCONT)
                os._exit(0)
            os.kill(pid, signal.SIGSTOP)
        return real(job)

    monkeypatch.setattr(parallel, "_work_row", pausing)
    monkeypatch.setattr(parallel, "STOPPED_GRACE", 2.0)
    monkeypatch.setattr(parallel, "_WATCH_MS", 50)
    result = _lint(_folder(tmp_path))
    assert len(result.files) == 40 and all(f.diagnostics for f in result.files)
