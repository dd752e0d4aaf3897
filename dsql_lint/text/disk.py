"""What a run reads and writes on disk, at the bottom of the layers (it imports only ``os``).

- :func:`stat_key`: what of a file's ``stat`` says it has not changed (the cache and the replay
  of unchanged runs compare it);
- :func:`create_temporary`: a private temporary file beside the one it will replace (``--fix``,
  cache packs, run records: every atomic write);
- :class:`Spill`: values a run keeps to its end in an unnamed temporary file instead of memory
  (the cache's entries waiting for their save, a SARIF log's results while its rules are gathered);
- :data:`TRACE`: the inputs a run being recorded for replay read. :mod:`dsql_lint.cli.fastpath`, at
  the top, arms it; file discovery, far below, adds what it finds. The lower layer only writes
  into this record; it never calls up into the command that will replay it.
"""

from __future__ import annotations

import marshal
import os

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import Any

#: Folders searched and files found by :func:`dsql_lint.frontend.discover.discover` while a run is recorded
#: (``{"dirs": {...}, "files": {...}}``), or None when no run is being recorded.
TRACE: dict[str, Any] | None = None


def stat_key(st: os.stat_result) -> tuple[int, ...]:
    """What of a file's ``stat`` a record compares: type and mode, inode, device, size, change times."""
    return (st.st_mode, st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def create_temporary(folder: str, prefix: str, suffix: str) -> tuple[int, str]:
    """``tempfile.mkstemp(suffix, prefix, folder)`` without importing ``tempfile`` (~3 ms, with ``random``
    and ``shutil``): a new file that only this user may read and write, opened exclusively (never an
    existing file, never through a symbolic link), and its path.
    """
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    for extra in ("O_NOFOLLOW", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, extra, 0)
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(8).hex()}{suffix}")
        try:
            return os.open(path, flags, 0o600), os.path.abspath(path)
        except FileExistsError:
            continue
    raise FileExistsError(f"no unused temporary file name in {folder}")


class Spill:
    """Values that wait in an unnamed temporary file (``marshal``: plain values only) until they are
    read back, by offset (:meth:`at`) or all in order (:meth:`replay`). The file has no name: it is
    gone when closed, or when the process ends, whatever happens."""

    def __init__(self, folder: str | None = None) -> None:
        import tempfile  # (~3 ms: only a run that spills pays for it)

        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - closed by replay() or close()
        self.count = 0

    def add(self, value: Any) -> int:
        """Write ``value`` and say where it starts. ValueError, and nothing written, when marshal
        cannot store it; OSError when the disk is full."""
        blob = marshal.dumps(value)
        fh = self._file
        offset = fh.tell()
        fh.write(blob)
        self.count += 1
        return offset

    def at(self, offset: int) -> Any:
        """The value :meth:`add` wrote at ``offset``."""
        self._file.seek(offset)
        return marshal.load(self._file)

    def replay(self) -> Iterator[Any]:
        """Every value added, in order, once; the file is closed after the last."""
        fh = self._file
        fh.seek(0)
        try:
            for _ in range(self.count):
                yield marshal.load(fh)
        finally:
            fh.close()

    def close(self) -> None:
        self._file.close()


def trace_folder(folder: str, dirnames: Iterable[str], filenames: Iterable[str]) -> None:
    """Remember a folder's listing as the walk saw it (called by discover while recording)."""
    trace = TRACE
    if trace is not None:
        names = sorted(dirnames)
        links = tuple(n for n in names if os.path.islink(os.path.join(folder, n)))
        trace["dirs"].setdefault(folder, (tuple(names), links, tuple(sorted(filenames))))


def trace_file(path: str) -> None:
    """Remember a file that discovery found (called by discover while recording)."""
    trace = TRACE
    if trace is not None:
        trace["files"].setdefault(path, None)
