"""The per-file pass of a run, with the cache and, for many files, a process pool.

:func:`lint_plan` reads every planned file once, hashes it and asks the cache. Files the
cache cannot answer are linted in this process when they are few, and in a pool of worker
processes (``fork`` on Linux, so the workers share the already imported rules and parser)
when there are many. Results keep the plan's order whatever order the workers finish in.

Memory stays flat as folders grow: workers get paths, not texts, and return compact rows;
a file's text is kept only while something needs it (a diagnostic's excerpt, or the folder
pass when it has to run again).

The linter is built lazily (:class:`LazyLinter`): a run that the cache answers completely
imports neither the rules nor sqlglot.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import signal
import stat
import struct
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dsql_lint.frontend.discover import STDIN
from dsql_lint.lint.engine import Linter
from dsql_lint.model import DIAGNOSTIC_ORDER
from dsql_lint.records import Record
from dsql_lint.run.cache import (
    Cache,
    Entry,
    Pieces,
    blake2b,
    decode_diagnostic,
    digest,
    encode_diagnostic,
    shard_of,
    summary_blob,
    unpack_rows,
    unpack_summary,
)
from dsql_lint.text import source as source_module
from dsql_lint.text.disk import Spill, stat_key
from dsql_lint.text.source import (
    Source,
    SourceError,
    decode,
    open_binary,
    read_path,
    read_path_bytes_and_stat,
    read_stdin,
)

if TYPE_CHECKING:
    from dsql_lint.config.settings import Settings
    from dsql_lint.lint.engine import FolderPass
    from dsql_lint.migrations import MigrationFile, Plan
    from dsql_lint.model import Diagnostic
    from dsql_lint.run.lint import FileResult

#: Below this many files to lint, a pool costs more than it saves.
MIN_FILES_FOR_POOL = 24
#: Past this many bytes of cache entries held for files not given out yet (their packed rows and
#: summary, and the file's bytes to decode them with), the rest wait in an unnamed temporary file
#: until each file is fed or given out: the 10,000-file folder's were about 50 MB, all held while
#: the folder pass replayed them.
PARK_AT = 4 << 20


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class LazyLinter(Linter):
    """A :class:`Linter` whose rules are chosen and loaded on first use.

    A run that the cache answers completely never touches them, so it imports neither the
    rule modules nor sqlglot. Use it only when the settings are known to be valid (an earlier
    run with the same cache fingerprint succeeded): errors in them surface on first use.
    """

    def __post_init__(self) -> None:
        if self.rules:
            Linter.__post_init__(self)
        else:
            del self.rules  # looked up through __getattr__, which builds everything

    @property
    def built(self) -> bool:
        """True once the rules are loaded."""
        return "rules" in self.__dict__

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or "settings" not in self.__dict__ or "rules" in self.__dict__:
            raise AttributeError(name)
        self.rules = []
        try:
            Linter.__post_init__(self)
        except AttributeError as exc:  # not "no such attribute": a rule failed to load
            del self.rules
            raise RuntimeError(f"could not build the linter: {exc}") from exc
        return getattr(self, name)


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # pragma: no cover - not Linux
        return max(os.cpu_count() or 1, 1)


def migration_key(mfile: MigrationFile) -> str:
    """What besides the text changes how a file is linted: its migration view and a Flyway ``.conf``."""
    key = mfile.cache_key()
    try:
        with open_binary(mfile.path + ".conf") as fh:
            key += ":conf=" + digest(fh.read())
    except OSError:
        pass
    if mfile.format == "diesel":  # run_in_transaction in the migration's metadata.toml
        try:
            with open_binary(os.path.join(os.path.dirname(mfile.path), "metadata.toml")) as fh:
                key += ":metadata=" + digest(fh.read())
        except OSError:
            pass
    return key


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class _Done(Record):
    """One file's outcome, as it travels back from a worker."""

    index: int
    content: str
    rows: list[list[Any]] | None
    summary: Any  # packed (cache.summary_blob) bytes: cheaper to send, stored as is, decoded for the folder pass
    text: str | None  # kept only when there are diagnostics to show
    error: tuple[str, str] | None = None  # (path, message) when the file could not be read
    stat: bytes | None = None  # the file's stat key as it was read (fastpath.stat_key)

    def __init__(
        self,
        index: int,
        content: str,
        rows: list[list[Any]] | None,
        summary: Any,
        text: str | None,
        error: tuple[str, str] | None = None,
        stat: bytes | None = None,
    ) -> None:
        self.index = index
        self.content = content
        self.rows = rows
        self.summary = summary
        self.text = text
        self.error = error
        self.stat = stat


# -- the per-file step, shared by this process and the workers -----------------------------------

#: Set by the ``dsql-lint`` command, never by the Python API: what this process gathers (cached
#: findings, the workers' results) lives until it exits, so it is moved out of the cyclic
#: collector's way as it comes (``gc.freeze``) rather than walked by passes that free nothing
#: (one such pass over a 1,000-file folder's results cost 45-80 ms). Frozen objects are never
#: collected: an API caller's process must not have its objects frozen behind its back.
KEEP_GATHERED = False
#: Results gathered between two freezes.
_FREEZE_EVERY = 64

_WORKER_LINTER: Linter | None = None
_WORKER_REPORTED: set[str] = set()


def _lint_text(linter: Linter, source: Source, mfile: MigrationFile, reported: bool) -> tuple[list[Diagnostic], Any]:
    """Lint one file and summarize it for the folder pass.

    The cyclic garbage collector is paused meanwhile: what the file's linting allocates (tokens,
    statements, views) lives until the file is done, so a pass in the middle would walk all of it
    and free nothing (about 8% of a 10,000-statement file's run). Once the views are dropped, the
    file is freed by reference counting; what cyclic garbage it made (sqlglot's trees) is left
    to the collector's next pass, as before.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lint_and_summarize(linter, source, mfile, reported)  # its frame, and the script, are gone here
    finally:
        if collecting:
            gc.enable()


def _lint_and_summarize(
    linter: Linter, source: Source, mfile: MigrationFile, reported: bool
) -> tuple[list[Diagnostic], Any]:
    from dsql_lint.frontend.syntax import drop_views
    from dsql_lint.migrations import summarize

    script, _ = linter.build(source, mfile)
    diagnostics = linter.lint_script(script) if reported else []
    summary = summarize(script) if linter.summarizes else None
    drop_views(script.statements)  # the file's statements and tokens are freed now, not by a GC pass
    return diagnostics, summary


def _work(job: tuple[int, MigrationFile]) -> _Done:
    """Lint one file in a worker: read, hash, lint; return compact rows."""
    return _Done(*_work_row(job))


def _work_row(job: tuple[int, MigrationFile]) -> tuple[Any, ...]:
    """:func:`_work`'s result as the tuple of :class:`_Done`'s fields (cheaper to pickle)."""
    index, mfile = job
    assert _WORKER_LINTER is not None
    try:
        data, info = read_path_bytes_and_stat(Path(mfile.path))
        source = decode(mfile.path, data)
    except SourceError as exc:
        return (index, "", None, None, None, (exc.path, exc.message))
    reported = mfile.path in _WORKER_REPORTED
    try:
        diagnostics, summary = _lint_text(_WORKER_LINTER, source, mfile, reported)
    except SourceError as exc:  # a side file the tool reads (a Flyway .conf) cannot be read
        return (index, "", None, None, None, (exc.path, exc.message))
    rows = [encode_diagnostic(d) for d in diagnostics] if reported else None
    try:
        packed = summary_blob(summary) if summary is not None else None
    except (TypeError, ValueError):  # not storable: the summary travels as it is (and is not cached)
        packed = summary
    seen = stat_key(info) if info is not None else None
    return (index, digest(data), rows, packed, source.text if diagnostics else None, None, seen)


def _pool_map(
    linter: Linter, reported: set[str], jobs: list[tuple[int, MigrationFile]], workers: int
) -> Iterator[_Done]:
    """Lint ``jobs`` in ``workers`` processes; yields each file's :class:`_Done` as it arrives (any order)."""
    global _WORKER_LINTER, _WORKER_REPORTED
    _WORKER_LINTER, _WORKER_REPORTED = linter, reported
    try:
        if sys.platform.startswith("linux"):
            _preload(linter)
            yield from _fork_map(jobs, workers)
        else:  # pragma: no cover - not Linux
            yield from _spawn_map(linter, reported, jobs, workers)
    finally:
        _WORKER_LINTER, _WORKER_REPORTED = None, set()


def _spawn_map(  # pragma: no cover - not Linux
    linter: Linter, reported: set[str], jobs: list[tuple[int, MigrationFile]], workers: int
) -> Iterator[_Done]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    chunk = max(1, min(16, len(jobs) // (workers * 6)))
    with ctx.Pool(workers, initializer=_spawn_init, initargs=(linter.settings, reported)) as pool:
        yield from pool.imap_unordered(_work, jobs, chunksize=chunk)


# -- the fork pool ---------------------------------------------------------------------------------
#
# Not multiprocessing.Pool: its three helper threads cost the parent ~0.1-0.2 s of CPU on a
# 1,000-file run (its worker-handler thread wakes up every time a result is waiting in the result
# pipe, and contends for the GIL with the thread that reads it), CPU taken from the two workers on a
# two-core machine; and it registers an atexit callback, which keeps the ``dsql-lint`` command
# from skipping the interpreter's teardown. Here the workers are forked directly and share one
# task pipe: the parent writes every chunk's (start, stop) up front as 8-byte records (in one
# write of at most PIPE_BUF bytes, so atomically), each worker reads one record (8 bytes, read
# whole: pipe reads are serialised) whenever it is free, lints that range of the job list it
# inherited, and writes the chunk's results, pickled and length-prefixed, to its own result pipe.
# The parent only reads results. Chunks shrink towards the end of the list so that the workers
# finish together, and results come back close to plan order.

_TASK = struct.Struct("<II")
_LENGTH = struct.Struct("<Q")
#: At most this many chunks (their records fill at most PIPE_BUF = 4096 bytes: one atomic write).
_MAX_CHUNKS = 512
#: A result pipe's buffer (Linux's default is 64 KiB, about one chunk of results).
_PIPE_SIZE = 1 << 20
_WORKER_JOBS: list[tuple[int, MigrationFile]] = []


def _chunks(count: int, workers: int) -> list[tuple[int, int]]:
    """(start, stop) ranges covering ``range(count)`` in order, at most :data:`_MAX_CHUNKS` of them.

    Guided: chunks of up to 16 files (more for huge runs), shrinking as the end nears so that no
    worker is left with a long chunk while the others idle; equal chunks when that needs too many.
    """
    cap = 16
    while cap <= max(16, count):
        ranges: list[tuple[int, int]] = []
        start = 0
        while start < count and len(ranges) <= _MAX_CHUNKS:
            size = max(1, min(cap, (count - start) // (workers * 4)))
            ranges.append((start, start + size))
            start += size
        if len(ranges) <= _MAX_CHUNKS:
            return ranges
        cap *= 2
    size = -(-count // _MAX_CHUNKS)
    return [(start, min(start + size, count)) for start in range(0, count, size)]


class WorkerError(RuntimeError):
    """A worker process ended without sending its results (killed, out of memory ...)."""


#: How long a worker may stay stopped (SIGSTOP, a debugger) before the run gives up on it, in seconds.
STOPPED_GRACE = 10.0
#: How often the parent looks for stopped workers while it waits for results, in milliseconds.
_WATCH_MS = 1000


def _fork_map(jobs: list[tuple[int, MigrationFile]], workers: int) -> Iterator[_Done]:
    import fcntl
    import pickle
    import select

    global _WORKER_JOBS
    ranges = _chunks(len(jobs), workers)
    expected = len(jobs)
    _WORKER_JOBS = jobs
    for stream in (sys.stdout, sys.stderr):  # tidy, not needed: a child ends with os._exit, never flushing
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):  # a closed pipe is the report's business, later
                stream.flush()
    task_r, task_w = os.pipe()
    os.write(task_w, b"".join(_TASK.pack(a, b) for a, b in ranges))  # <= PIPE_BUF bytes: atomic, never blocks
    os.close(task_w)  # the workers stop at the end of the pipe
    children: dict[int, int] = {}  # result pipe's read end -> pid
    try:
        for _ in range(workers):
            result_r, result_w = os.pipe()
            with contextlib.suppress(OSError):  # room for a few chunks: a worker seldom waits on the parent
                fcntl.fcntl(result_w, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_SIZE)
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child (coverage does not follow)
                code = 1
                try:
                    os.close(result_r)
                    for fd in children:
                        os.close(fd)
                    _worker_loop(task_r, result_w)
                    code = 0
                except BaseException:  # an interrupt, a closed pipe: the parent sees the pipe end
                    pass
                finally:
                    os._exit(code)
            os.close(result_w)
            children[result_r] = pid
        os.close(task_r)
        task_r = -1
        poller = select.poll()
        for fd in children:
            poller.register(fd, select.POLLIN)
        watch = _StopWatch()
        while expected:
            if not children:
                raise WorkerError("the worker processes ended before sending every result")
            ready = poller.poll(_WATCH_MS)
            if not ready:
                watch.check(children)
            for fd, _ in ready:
                head = _read_exactly(fd, _LENGTH.size)
                if len(head) < _LENGTH.size:  # the worker is gone: normal once the task pipe is empty
                    poller.unregister(fd)
                    problem = _ended(children, fd, watch.reaped)
                    if problem or head:
                        raise WorkerError(problem or "a worker process ended in the middle of sending results")
                    continue
                (size,) = _LENGTH.unpack(head)
                body = _read_exactly(fd, size)
                if len(body) < size:
                    raise WorkerError("a worker process ended in the middle of sending results")
                message = pickle.loads(body)
                if type(message) is tuple:  # the worker raised: (exception, its traceback as text)
                    raise message[0] from _RemoteTraceback(message[1])
                for row in message:
                    expected -= 1
                    yield _Done(*row)
    finally:
        _WORKER_JOBS = []
        if task_r >= 0:
            os.close(task_r)
        for fd, pid in children.items():
            os.close(fd)
            with contextlib.suppress(OSError):  # already gone
                os.kill(pid, signal.SIGTERM)  # as multiprocessing.Pool ends its workers
                os.kill(pid, signal.SIGCONT)  # a stopped worker acts on SIGTERM only once it runs
        for pid in children.values():
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd`` (blocking until they are all there), or fewer at the end of the pipe."""
    data = os.read(fd, size)
    if len(data) == size or not data:
        return data
    parts = [data]
    missing = size - len(data)
    while missing:
        more = os.read(fd, missing)
        if not more:
            break
        parts.append(more)
        missing -= len(more)
    return b"".join(parts)


class _StopWatch:
    """Notices workers that stay stopped: a stopped worker sends nothing and never ends, so without
    this the run would wait for it forever. ``waitpid`` with ``WUNTRACED``/``WCONTINUED`` tells
    stops and continues apart without reaping a running worker; a worker it finds ended is kept in
    :attr:`reaped` for :func:`_ended`.
    """

    def __init__(self) -> None:
        self.stopped: dict[int, tuple[float, int]] = {}  # pid -> (since, signal)
        self.reaped: dict[int, int] = {}  # pid -> wait status

    def check(self, children: dict[int, int]) -> None:
        now = time.monotonic()
        for pid in children.values():
            if pid in self.reaped:
                continue
            try:
                found, status = os.waitpid(pid, os.WNOHANG | os.WUNTRACED | os.WCONTINUED)
            except OSError:
                continue
            if found == 0:
                pass
            elif os.WIFSTOPPED(status):
                self.stopped.setdefault(pid, (now, os.WSTOPSIG(status)))
            elif os.WIFCONTINUED(status):
                self.stopped.pop(pid, None)
            else:
                self.reaped[pid] = status
        for pid, (since, signum) in self.stopped.items():
            if now - since >= STOPPED_GRACE:
                raise WorkerError(
                    f"a worker process (pid {pid}) was stopped ({_signal_name(signum)}) and has not "
                    f"continued for {now - since:.0f} seconds"
                )


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def _ended(children: dict[int, int], fd: int, reaped: dict[int, int] | None = None) -> str:
    """Reap the worker whose result pipe ``fd`` is; what went wrong, or "" when it exited normally."""
    pid = children.pop(fd)
    os.close(fd)
    try:
        status = reaped.pop(pid) if reaped and pid in reaped else os.waitpid(pid, 0)[1]
    except OSError:
        return f"a worker process (pid {pid}) ended, status unknown"
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return ""
    how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}"
    return f"a worker process (pid {pid}) ended before sending its results ({how})"


class _RemoteTraceback(Exception):
    """The worker's traceback, shown as the cause of an exception a worker raised."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0])


def _worker_loop(task_r: int, result_w: int) -> None:  # pragma: no cover - runs in the child
    """A worker: take chunks from the shared task pipe until it is empty, send each chunk's results."""
    import pickle

    jobs = _WORKER_JOBS
    while True:
        record = os.read(task_r, _TASK.size)
        if not record:
            return
        start, stop = _TASK.unpack(record)
        try:
            message: Any = [_work_row(job) for job in jobs[start:stop]]
            payload = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            import traceback

            text = traceback.format_exc()
            try:
                payload = pickle.dumps((exc, text), pickle.HIGHEST_PROTOCOL)
            except Exception:
                payload = pickle.dumps((WorkerError(f"{type(exc).__name__}: {exc}"), text), pickle.HIGHEST_PROTOCOL)
        _write_all(result_w, _LENGTH.pack(len(payload)) + payload)


def _write_all(fd: int, data: bytes) -> None:  # pragma: no cover - runs in the child
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _preload(linter: Linter) -> None:
    """Load the rules and sqlglot before forking: each worker inherits them instead of importing
    them again (about 0.3 s of CPU per worker); the parent needs the rules for the folder pass anyway.
    A failure is left for the workers to meet, exactly as without this.
    """
    try:
        linter.rules  # noqa: B018 - builds a LazyLinter
        from dsql_lint.frontend import script  # noqa: F401 - imports sqlglot and the dialect
        from dsql_lint.migrations import describe_single, shape_options, shape_script, summarize  # noqa: F401
    except Exception:  # the workers report it as they always did
        pass


def _spawn_init(settings: Settings, reported: set[str]) -> None:  # pragma: no cover - not Linux
    from dsql_lint.lint.engine import Linter

    global _WORKER_LINTER, _WORKER_REPORTED
    _WORKER_LINTER, _WORKER_REPORTED = Linter(settings), reported


# -- the run ---------------------------------------------------------------------------------------


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class _Slot(Record):
    """What is known about one planned file while the run goes on."""

    mfile: MigrationFile
    reported: bool
    mkey: str = ""
    content: str = ""
    result: FileResult | None = None
    summary: Any = None
    summary_json: Any = None  # a cached summary, decoded only if the folder pass must run again
    source: Source | None = None
    stat: bytes | None = None  # the file's stat key as it was read, when it was
    #: A cached file's packed rows and its bytes, decoded when the file is given out or fed (:func:`_materialize`).
    lazy: tuple[Any, bytes] | _Parked | None = None
    #: Its findings of the folder cache's, decoded with it.
    folder_rows: list[Any] | None = None

    def __init__(
        self,
        mfile: MigrationFile,
        reported: bool,
        mkey: str = "",
        content: str = "",
        result: FileResult | None = None,
        summary: Any = None,
        summary_json: Any = None,
        source: Source | None = None,
        stat: bytes | None = None,
        lazy: tuple[Any, bytes] | _Parked | None = None,
        folder_rows: list[Any] | None = None,
    ) -> None:
        self.mfile = mfile
        self.reported = reported
        self.mkey = mkey
        self.content = content
        self.result = result
        self.summary = summary
        self.summary_json = summary_json
        self.source = source
        self.stat = stat
        self.lazy = lazy
        self.folder_rows = folder_rows


def lint_plan(
    plan: Plan,
    linter: Linter,
    stdin_filename: str | None = None,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileResult]:
    """Lint every file of ``plan`` (cache first, then in-process or in a pool) and run the folder pass."""
    return list(iter_plan(plan, linter, stdin_filename, cache=cache, jobs=jobs, progress=progress, stream=False))


def iter_plan(
    plan: Plan,
    linter: Linter,
    stdin_filename: str | None = None,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    stream: bool = True,
) -> Iterator[FileResult]:
    """:func:`lint_plan`'s results one at a time, in plan order.

    With ``stream``, a file's result comes as soon as it is complete: linted, and replayed by the
    folder pass, which hands back its findings on the file then (:meth:`FolderPass.add`). The
    slot keeps no result afterwards, so that memory does not grow with the folder (issue 18).
    The last file replayed waits for the end (a crashed folder rule is reported on it), and a
    finding a folder rule made on a file already given out comes at the very end, in a second
    result for that file. Without ``stream``, or when the folder pass cannot hand findings back
    (a folder rule of a plugin looks at the whole folder) or nothing is linted (the folder
    cache may answer), every result comes at the end.
    """
    from dsql_lint.run.lint import FileResult

    slots = [_Slot(m, plan.is_reported(m.path)) for m in plan.files]
    tick = _Counter(progress, len(slots))
    pending: list[int] = []
    parking = _Parking(str(cache.directory) if cache is not None else None)
    # The cache's files shard by shard, each shard read once and let go before the next: all of
    # them loaded at once were 38 MB for the 10,000-file folder. (Plan order is kept where it counts:
    # ``pending`` is sorted, and results are given out by slot.)
    candidates = []
    for index, slot in enumerate(slots):
        if cache is None or slot.mfile.path == STDIN:
            pending.append(index)
        else:
            candidates.append((shard_of(slot.mfile.path), index))
    candidates.sort()
    last = -1
    for shard, index in candidates:
        slot = slots[index]
        path = slot.mfile.path
        assert cache is not None  # (candidates exist only with a cache)
        if shard != last:
            cache.forget_loaded()
            last = shard
        if not cache.holds(path, shard):
            pending.append(index)  # read, hashed and linted by whoever lints it
            continue
        try:
            data, slot.stat = _read_bytes_and_stat(path)
        except SourceError as exc:
            slot.result = FileResult(exc.path, error=exc.message)
            tick()
            continue
        slot.content, slot.mkey = digest(data), migration_key(slot.mfile)
        entry = cache.lookup(path, slot.content, slot.mkey, shard=shard)
        if entry is None or (slot.reported and entry.rows is None):
            pending.append(index)
            continue
        # Decoded when the file is given out (or fed to the folder pass): a streamed run of
        # cached files holds their rows, not 10 findings and a source each.
        slot.result = FileResult(path)
        slot.summary = None
        parked = parking.park(entry.rows, data, entry.summary)
        if parked is None:
            slot.lazy, slot.summary_json = (entry.rows, data), entry.summary
        else:  # (no summary: no folder rule is selected, and the folder pass has nothing to read)
            slot.lazy, slot.summary_json = parked, (parked if entry.summary is not None else None)
        tick()
    pending.sort()
    if cache is not None:
        cache.forget_loaded()  # every file was looked up: each slot holds its own entry's parts
    if KEEP_GATHERED:
        gc.freeze()

    # The folder pass replays each file as soon as every earlier one is known, and lets its
    # summary go (see _FolderFeed). With nothing to lint every file came from the cache: the
    # folder's findings are most likely cached too, so nothing is replayed before that is asked.
    feed = _FolderFeed(linter, slots, cache, stream) if pending else None
    if feed is not None:
        if jobs > 1 and len(pending) >= MIN_FILES_FOR_POOL:
            try:
                for _ in _lint_in_pool(linter, slots, pending, jobs, cache, tick):
                    yield from feed.pump()
            except OSError as exc:
                # No process could be forked (BlockingIOError: a process limit): lint what is left
                # here. A worker that died (WorkerError) is not retried here: what killed it (memory)
                # would kill this process too; the command reports it in a sentence.
                sys.stderr.write(
                    f"warning: the worker processes failed ({exc}); the remaining files are linted in this process\n"
                )
                for index in pending:
                    if slots[index].result is None:
                        _lint_here(linter, slots[index], stdin_filename, cache)
                        tick()
                        yield from feed.pump()
        else:
            for index in pending:
                _lint_here(linter, slots[index], stdin_filename, cache)
                tick()
                yield from feed.pump()

    _folder_pass(linter, slots, cache, feed)
    if cache is not None:
        cache.linted = {s.mfile.path: s.content for s in slots if s.content}
        cache.linted_stats = {s.mfile.path: s.stat for s in slots if s.content and s.stat is not None}
        cache.save()
    given = feed.given if feed is not None else 0
    for s in slots[given:]:
        _materialize(linter, s, cache)
        if s.result is not None and s.result.error is None:
            s.result.migration = s.mfile
        if s.result is not None and s.reported:
            yield s.result
        if stream:
            s.result = s.source = None
    for s in slots[:given]:  # a folder rule's findings on a file given out already
        if s.result is not None and s.result.diagnostics and s.reported:
            yield s.result
    parking.close()


def _read_bytes_and_stat(path: str) -> tuple[bytes, bytes | None]:
    """The bytes of a file, as :func:`dsql_lint.text.source.read_path_bytes` reads them (the same errors),
    with one ``open`` in the common case (a readable regular file within the size limit), and its
    stat key (``fastpath.stat_key``) taken as it was opened, before it was read: a run record need
    not read a file again whose stat has not changed since (None for a file that is not regular)."""
    try:
        with open_binary(path) as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size <= source_module.MAX_FILE_BYTES:
                return fh.read(), stat_key(info)
    except OSError:
        pass
    data, found = read_path_bytes_and_stat(Path(path))
    return data, stat_key(found) if found is not None else None


class _Counter:
    """Calls ``progress(done, total)`` as files finish."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def __call__(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def _lint_here(linter: Linter, slot: _Slot, stdin_filename: str | None, cache: Cache | None) -> None:
    from dsql_lint.run.lint import FileResult

    slot.lazy = None  # (a cached entry found corrupted: what is linted now replaces it)
    if type(slot.summary_json) is _Parked:
        slot.summary_json = None
    path = slot.mfile.path
    try:
        if path == STDIN:
            source = read_stdin(stdin_filename or STDIN)
            data = None
        else:
            data, info = read_path_bytes_and_stat(Path(path))
            slot.stat = stat_key(info) if info is not None else None
            source = decode(path, data)
    except SourceError as exc:
        slot.result = FileResult(exc.path, error=exc.message)
        return
    try:
        diagnostics, slot.summary = _lint_text(linter, source, slot.mfile, slot.reported)
    except SourceError as exc:  # a side file the tool reads (a Flyway .conf) cannot be read
        slot.result = FileResult(exc.path, error=exc.message)
        return
    slot.result = FileResult(source.path, diagnostics, source=source)
    slot.source = source
    if cache is not None and data is not None:
        slot.content, slot.mkey = digest(data), migration_key(slot.mfile)
        rows = [encode_diagnostic(d) for d in diagnostics] if slot.reported else None
        cache.store(path, slot.content, slot.mkey, Entry(rows, slot.summary))


def _lint_in_pool(
    linter: Linter,
    slots: list[_Slot],
    pending: list[int],
    jobs: int,
    cache: Cache | None,
    tick: _Counter,
) -> Iterator[None]:
    """Lint the ``pending`` slots in ``workers`` processes; yields after each file that comes back
    (the caller feeds the folder pass and gives out what is complete)."""
    from dsql_lint.run.lint import FileResult

    reported = {slots[i].mfile.path for i in pending if slots[i].reported}
    work = [(i, slots[i].mfile) for i in pending]
    workers = max(1, min(jobs, len(pending) // 8))
    for gathered, done in enumerate(_pool_map(linter, reported, work, workers), 1):
        slot = slots[done.index]
        path = slot.mfile.path
        if done.error is not None:
            slot.result = FileResult(done.error[0], error=done.error[1])
        else:
            source = Source(path, done.text) if done.text is not None else None
            diagnostics = [decode_diagnostic(r, path, source) for r in done.rows or []]
            slot.result = FileResult(path, diagnostics, source=source)
            if type(done.summary) is bytes:  # decoded only if the folder pass runs
                slot.summary, slot.summary_json = None, done.summary
            else:
                slot.summary = done.summary
            if cache is not None:
                slot.content, slot.mkey, slot.stat = done.content, migration_key(slot.mfile), done.stat
                cache.store(path, done.content, slot.mkey, Entry(done.rows, done.summary))
        tick()
        if KEEP_GATHERED and gathered % _FREEZE_EVERY == 0:
            gc.freeze()
        yield
    if KEEP_GATHERED:
        gc.freeze()


class _FolderFeed:
    """The folder pass, run while files are still being linted (in this process or the pool): files
    are added in plan order as soon as every earlier one is known, so that at the end only the folder
    rules with their own ``check`` and the suppressions are left (:class:`dsql_lint.lint.engine.FolderPass`),
    and a fed file's summary is not held here any more. Each file is prepared exactly as
    :func:`_folder_pass` prepares it; when the folder cache answers after all, this work is dropped.

    With ``stream`` (and a folder pass that :attr:`~dsql_lint.lint.engine.FolderPass.streams`), each
    file's folder findings are attached as it is fed, and :meth:`ready` gives out the results that
    are complete.
    """

    def __init__(self, linter: Linter, slots: list[_Slot], cache: Cache | None, stream: bool = False) -> None:
        self.linter = linter
        self.slots = slots
        self.cache = cache
        self.next = 0  # the first slot not fed yet
        self.readable: list[_Slot] = []  # the slots fed, in order (those _folder_pass would replay)
        self._pass: FolderPass | None = None
        self.stream = stream and self.folder_pass.streams
        #: Slots before this one were given out by :meth:`ready` (they keep no result).
        self.given = 0
        #: The last slot fed: it waits for the end (:meth:`FolderPass.finish` reports a crash on it).
        self.held = -1
        #: The folder findings handed back so far, as the folder cache stores them: a file's rows
        #: packed (marshal) as it is fed, a quarter of their size as lists (28,000 findings: 11 MB),
        #: and kept with the cache's other entries waiting for its save (spilled to disk with them).
        self.rows = cache.pieces() if cache is not None else None

    @property
    def folder_pass(self) -> FolderPass:
        if self._pass is None:
            self._pass = self.linter.folder_pass()
        return self._pass

    def forget_pass(self) -> None:
        """Let the finished folder pass go, and the folder's schema model with it."""
        self._pass = None

    def advance(self) -> None:
        """Feed every slot from :attr:`next` on whose file is done."""
        for _ in self.pump():
            pass

    def pump(self) -> Iterator[FileResult]:
        """:meth:`advance`, giving out what is complete (:meth:`ready`) after each file fed: the
        cached files before a changed one are fed together, and must not all be held first."""
        slots = self.slots
        while self.next < len(slots) and slots[self.next].result is not None:
            self._feed(slots[self.next], self.next)
            self.next += 1
            yield from self.ready()

    def _feed(self, s: _Slot, index: int) -> None:
        from dsql_lint.migrations import FolderEntry
        from dsql_lint.migrations.summary import FileSummary

        if s.result is None or s.result.error is not None or (s.summary is None and s.summary_json is None):
            return
        if s.summary is None:
            _unpark(s)
            try:
                s.summary = unpack_summary(FileSummary, s.summary_json)
            except Exception:  # a corrupted summary: lint the file again
                _lint_here(self.linter, s, None, self.cache)
        _materialize(self.linter, s, self.cache, need_source=True)
        if s.summary is None or s.result is None or s.result.error is not None:
            return
        self.readable.append(s)
        found = self.folder_pass.add(FolderEntry(_source_of(s), s.mfile, s.summary, s.reported), take=self.stream)
        s.summary = s.summary_json = None  # the folder pass has it (and lets it go once replayed)
        self.held = index
        if found:
            diagnostics = s.result.diagnostics
            diagnostics.extend(found)
            diagnostics.sort(key=DIAGNOSTIC_ORDER)
            if self.rows is not None:
                self.rows.append(_packed_rows(found))

    def folder_rows(self, found: list[Diagnostic]) -> Pieces:
        """What the folder cache stores: the findings given out so far, then ``found``."""
        assert self.rows is not None  # (there is a cache)
        self.rows.append(_packed_rows(found))
        return self.rows

    def ready(self) -> Iterator[FileResult]:
        """With :attr:`stream`: the results of the reported files now complete, in plan order, each
        given once; their slots keep neither the result nor the source."""
        if not self.stream:
            return
        slots = self.slots
        limit = min(self.next, self.held) if self.held >= self.given else self.next
        while self.given < limit:
            s = slots[self.given]
            self.given += 1
            _materialize(self.linter, s, self.cache)
            result = s.result
            if result is None:
                continue
            if result.error is None:
                result.migration = s.mfile
            s.result = s.source = None  # given out (and a slot before feed.next is never fed again)
            if s.reported:
                yield result


def _packed_rows(found: list[Diagnostic]) -> bytes:
    """Folder findings as :meth:`Cache.folder_store` takes a piece of them."""
    return marshal.dumps([[d.path, encode_diagnostic(d)] for d in found])


def _folder_key(slots: list[_Slot]) -> str | None:
    """A hash of every file's identity in order; None when a file (stdin) cannot be identified."""
    h = blake2b(digest_size=16)
    for s in slots:
        if not s.content:
            return None
        h.update(f"{s.mfile.path}\x00{s.content}\x00{s.mkey}\x00{s.reported}\x01".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _folder_pass(linter: Linter, slots: list[_Slot], cache: Cache | None, feed: _FolderFeed | None = None) -> None:
    """Run the folder rules over every file's summary, or reuse their findings when no file changed.

    With ``feed`` (any run that linted a file), the files are already replayed as they were linted
    (see :class:`_FolderFeed`).
    """
    from dsql_lint.migrations import FolderEntry, MigrationFolder

    if feed is not None:
        feed.advance()  # every file is known now; the fed ones hold no summary any more
        readable = feed.readable
    else:
        readable = [
            s
            for s in slots
            if s.result is not None and s.result.error is None and (s.summary is not None or s.summary_json is not None)
        ]
    if not readable:
        return
    key = _folder_key(slots) if cache is not None else None
    files = "\x00".join(s.mfile.path for s in slots)
    found: list[Diagnostic] | None = None
    if cache is not None and key is not None and not (feed is not None and feed.stream):
        # (a streamed run gave out each file's folder findings already: they are the pass's own)
        cached = cache.folder_lookup(files, key)
        if cached is not None and feed is None and _defer_folder(cached, readable):
            return  # every file came from the cache: each decodes its folder findings as it is given out
        if cached is not None:
            try:
                found = _decode_folder(linter, cache, cached, readable)
            except Exception:  # corrupted rows: run the folder pass again
                found = None
    if found is None and feed is not None:
        found = feed.folder_pass.finish()
        feed.forget_pass()  # the schema model goes before the rows are unpacked
        if cache is not None and key is not None:
            cache.folder_store(files, key, feed.folder_rows(found))
    if found is None:
        from dsql_lint.migrations.summary import FileSummary

        for s in readable:
            if s.summary is None:
                _unpark(s)
                try:
                    s.summary = unpack_summary(FileSummary, s.summary_json)
                except Exception:  # a corrupted summary: lint the file again
                    _lint_here(linter, s, None, cache)
        readable = [s for s in readable if s.summary is not None and s.result is not None and s.result.error is None]
        folder = MigrationFolder()
        for s in readable:
            _materialize(linter, s, cache, need_source=True)
        readable = [s for s in readable if s.result is not None and s.result.error is None]
        for s in readable:
            folder.entries.append(FolderEntry(_source_of(s), s.mfile, s.summary, s.reported))
        found = linter.lint_folder(folder)
        if cache is not None and key is not None:
            cache.folder_store(files, key, [_packed_rows(found)])
    _attach(found, readable)


def _source_of(slot: _Slot) -> Source:
    if slot.source is not None:
        return slot.source
    assert slot.result is not None
    if slot.result.source is not None:
        return slot.result.source
    return read_path(Path(slot.mfile.path))


def _materialize(linter: Linter, slot: _Slot, cache: Cache | None, need_source: bool = False) -> None:
    """Decode a cached file's rows (and its folder findings from the folder cache, sorted in as
    :func:`_attach` sorts them) into its result; a corrupted entry is linted again instead.
    ``need_source``: decode the text even without a finding (the folder pass reads it)."""
    _unpark(slot)
    lazy = slot.lazy
    if lazy is None or slot.result is None or cache is None:
        return
    slot.lazy = None
    assert not isinstance(lazy, _Parked)  # (_unpark read it back)
    rows, data = lazy
    folder_rows, slot.folder_rows = slot.folder_rows or [], None
    path = slot.mfile.path
    earlier = slot.result.diagnostics  # the folder pass's, attached before this (_attach)
    try:
        rows = unpack_rows(rows)
        source = decode(path, data) if rows or folder_rows or need_source else None
        own = [cache.diagnostic(r, path, source) for r in rows]
    except Exception:  # a corrupted entry: lint the file again (its summary is the same file's)
        _lint_here(linter, slot, None, cache)
        if slot.result is None or slot.result.error is not None:
            return
        source = slot.result.source
        own = slot.result.diagnostics
    result = slot.result
    attached = earlier + [cache.diagnostic(r, path, source) for r in folder_rows]  # (rows the cache signed)
    result.diagnostics = own + attached
    if attached:
        result.diagnostics.sort(key=DIAGNOSTIC_ORDER)
    if source is not None and (rows or attached):
        result.source = source
    elif source is not None:
        slot.source = source  # for the folder pass only (a file without findings keeps no text)


class _Parked:
    """Where a cached file's packed rows, bytes and packed summary wait in the run's parking file."""

    __slots__ = ("place", "spill")

    def __init__(self, spill: Spill, place: int) -> None:
        self.spill = spill
        self.place = place


class _Parking:
    """Cache entries of files not given out yet, held in memory up to :data:`PARK_AT` bytes, then
    written to an unnamed temporary file (none is made below that: a small run pays nothing)."""

    __slots__ = ("_folder", "_held", "_spill")

    def __init__(self, folder: str | None) -> None:
        #: Where to make the file (the cache's folder, which holds the entries): else the system's.
        self._folder = folder
        self._held = 0
        self._spill: Spill | bool | None = None  # None: not opened yet; False: none can be

    def park(self, rows: Any, data: bytes, summary: Any) -> _Parked | None:
        """The entry's place in the file, or None: it stays in memory (below the threshold, or no file)."""
        self._held += len(data) + len(rows or b"") + len(summary or b"")
        if self._held <= PARK_AT or self._spill is False:
            return None
        try:
            if self._spill is None:
                self._spill = self._open()
            assert isinstance(self._spill, Spill)
            return _Parked(self._spill, self._spill.add((rows, data, summary)))
        except (OSError, ValueError):  # no temporary file (a full disk ...): what is left stays in memory
            self._spill = False
            return None

    def _open(self) -> Spill:
        if self._folder is not None:
            try:
                return Spill(self._folder)
            except OSError:  # a cache folder this run may read but not write
                pass
        return Spill()

    def close(self) -> None:
        if isinstance(self._spill, Spill):
            self._spill.close()


def _unpark(slot: _Slot) -> None:
    """Read a parked entry back into the slot (``lazy`` and, if it is still waiting, ``summary_json``)."""
    parked = slot.lazy
    if type(parked) is _Parked:
        rows, data, summary = parked.spill.at(parked.place)
        slot.lazy = (rows, data)
        if slot.summary_json is parked:
            slot.summary_json = summary


def _defer_folder(rows: list[Any], readable: list[_Slot]) -> bool:
    """Give each cached file its rows of the folder cache, decoded with its own (:func:`_materialize`);
    False when a row is not of the shape the cache writes (the folder pass then runs again)."""
    by_path = {s.mfile.path: s for s in readable if s.reported}
    for item in rows:
        if type(item) is not list or len(item) != 2 or type(item[1]) is not list:
            return False
        slot = by_path.get(item[0])
        if slot is not None and slot.lazy is None:
            return False
    for path, row in rows:
        slot = by_path.get(path)
        if slot is not None:
            if slot.folder_rows is None:
                slot.folder_rows = []
            slot.folder_rows.append(row)
    return True


def _decode_folder(linter: Linter, cache: Cache, rows: list[Any], readable: list[_Slot]) -> list[Diagnostic]:
    by_path = {s.mfile.path: s for s in readable}
    found = []
    for path, row in rows:
        slot = by_path.get(path)
        if slot is None:
            continue
        _materialize(linter, slot, cache)
        source = slot.result.source if slot.result is not None and slot.result.source else _reread(slot)
        found.append(cache.diagnostic(row, path, source))
    return found


def _reread(slot: _Slot) -> Source | None:
    try:
        source = read_path(Path(slot.mfile.path))
    except SourceError:
        return None
    assert slot.result is not None
    slot.result.source = source
    return source


def _attach(found: list[Diagnostic], readable: list[_Slot]) -> None:
    from dsql_lint.run.lint import FileResult

    by_path = {s.result.path if s.result is not None else s.mfile.path: s for s in readable if s.reported}
    touched = set()
    for diagnostic in found:
        slot = by_path.get(diagnostic.path)
        if slot is not None:
            if slot.result is None:  # given out already (a streamed run): its late findings go in a result of their own
                slot.result = FileResult(slot.mfile.path)
            slot.result.diagnostics.append(diagnostic)
            touched.add(diagnostic.path)
    for path in touched:
        by_path[path].result.diagnostics.sort(key=DIAGNOSTIC_ORDER)  # type: ignore[union-attr]
