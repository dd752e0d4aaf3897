"""What a run reads and writes on disk, at the bottom of the layers (it imports only ``os``).

- :func:`stat_key`: what of a file's ``stat`` says it has not changed (the cache and the replay
  of unchanged runs compare it);
- :func:`create_temporary`: a private temporary file beside the one it will replace (``--fix``,
  cache packs, run records: every atomic write);
- :data:`TRACE`: the inputs a run being recorded for replay read. :mod:`dsql_lint.cli.fastpath`, at
  the top, arms it; file discovery, far below, adds what it finds. The lower layer only writes
  into this record; it never calls up into the command that will replay it.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from collections.abc import Iterable
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
