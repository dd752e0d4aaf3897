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


def stat_key(st: os.stat_result) -> bytes:
    """What of a file's ``stat`` a record compares: type and mode, inode, device, size, change times.

    Packed in 48 bytes (``marshal``'s bytes where a number does not fit): a run keeps one per file it
    read until it saves its record, and six int objects in a tuple were 270 bytes (2.7 MB for the
    10,000-file folder). A warm replay makes one per file, so the packer is compiled once.
    """
    values = (st.st_mode, st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    if not _PACKER:
        import struct  # (not at import: a replay of one file would pay more than it saves)

        _PACKER.append(struct.Struct("<QQQqqq").pack)
        _PACKER.append(struct.error)
    try:
        return _PACKER[0](*values)
    except _PACKER[1]:  # an inode of 128 bits, a negative device ...
        return marshal.dumps(values)


#: ``struct.Struct(...).pack`` for :func:`stat_key`, and the error it raises, once compiled.
_PACKER: list[Any] = []


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
    read back, by the place :meth:`add` gave (:meth:`at`) or all in order (:meth:`replay`). The
    file has no name: it is gone when closed, or when the process ends, whatever happens."""

    def __init__(self, folder: str | None = None) -> None:
        self._file = _unnamed_file(folder)
        self._end = 0
        self.count = 0

    def add(self, value: Any) -> int:
        """Write ``value`` and say where it is: its offset and size in one number (``offset << 32 |
        size``). ValueError, and nothing written, when marshal cannot store it (or it is 4 GB or more);
        OSError when the disk is full."""
        blob = marshal.dumps(value)
        size = len(blob)
        if size >> 32:
            raise ValueError("a value of 4 GB or more")
        place = self._end << 32 | size
        self._file.write(blob)
        self._end += size
        self.count += 1
        return place

    def at(self, place: int) -> Any:
        """The value :meth:`add` wrote at ``place``: one read of exactly its bytes."""
        fh = self._file
        fh.flush()
        size, offset = place & 0xFFFFFFFF, place >> 32
        pread = getattr(os, "pread", None)
        if pread is not None:
            return marshal.loads(pread(fh.fileno(), size, offset))
        fh.seek(offset)  # (Windows)
        data = fh.read(size)
        fh.seek(0, os.SEEK_END)
        return marshal.loads(data)

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


def _unnamed_file(folder: str | None) -> Any:
    """A new file without a name, open for reading and writing: ``O_TMPFILE`` in ``folder`` where
    the system has it (no ``tempfile`` import, about 3 ms), else ``tempfile.TemporaryFile``."""
    flag = getattr(os, "O_TMPFILE", 0)
    if folder is not None and flag:
        try:
            fd = os.open(folder, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError:  # a file system without unnamed files: tempfile's way
            pass
        else:
            return open(fd, "w+b")  # (closed by Spill.replay() or Spill.close())
    import tempfile

    return tempfile.TemporaryFile(dir=folder)  # (closed by Spill.replay() or Spill.close())


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
