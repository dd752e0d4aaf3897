"""Source text: decoded SQL, its display path, and offset-to-position mapping.

Reading bytes and decoding them is done here so that every failure mode (missing
file, directory, binary content, invalid UTF-8) becomes a :class:`SourceError`
with a one-sentence message instead of a traceback further down the pipeline.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import stat
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dsql_lint.records import NEW, Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO, NoReturn

#: Files larger than this are refused rather than read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024


class SourceError(Exception):
    """A file that cannot be linted; the message is a complete sentence for the user."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(init=False, repr=False, eq=False)  # a dataclass without generated code (dsql_lint.records)
class Source(Record):
    """One SQL text to lint: a file, stdin, or a string handed to the API."""

    path: str
    text: str
    _line_starts: Sequence[int] = field(default_factory=list, repr=False)
    #: True when the text began with a UTF-8 byte-order mark (blanked to a space at offset 0).
    bom: bool = False

    def __init__(self, path: str, text: str, _line_starts: Sequence[int] = NEW, bom: bool = False) -> None:
        self.path = path
        self.text = text
        self._line_starts = [] if _line_starts is NEW else _line_starts
        self.bom = bom
        self.__post_init__()

    def __post_init__(self) -> None:
        if self.text.startswith("\ufeff"):
            # A UTF-8 byte-order mark is not SQL; keep offsets stable by blanking it.
            self.text = " " + self.text[1:]
            self.bom = True
        # Each line starts one past the end of the previous one (its length plus the newline),
        # summed in C: 0, len(line 1) + 1, ...; only "\n" ends a line, as in line_text.
        # An array: 8 bytes a line, where a list held a pointer and an int object (40 bytes).
        lengths = map(len, self.text.split("\n")[:-1])
        self._line_starts = array("q", itertools.accumulate(map((1).__add__, lengths), initial=0))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count characters."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def lines(self, offsets: Sequence[int]) -> list[int]:
        """The 1-based line of each offset (:meth:`position`'s line), found in C for all of them at once."""
        length = len(self.text)
        clamped = map(min, map(max, offsets, itertools.repeat(0)), itertools.repeat(length))
        return list(map(functools.partial(bisect.bisect_right, self._line_starts), clamped))  # index + 1: the line

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """:meth:`position` of ``start`` and of ``end`` (>= ``start``): one search when both are on one line."""
        text_length = len(self.text)
        start = max(0, min(start, text_length))
        end = max(0, min(end, text_length))
        starts = self._line_starts
        line = bisect.bisect_right(starts, start) - 1
        first = starts[line]
        if line + 1 == len(starts) or end < starts[line + 1]:
            return line + 1, start - first + 1, line + 1, end - first + 1
        end_line = bisect.bisect_right(starts, end) - 1
        return line + 1, start - first + 1, end_line + 1, end - starts[end_line] + 1

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based (line, column), clamped to the text."""
        line = max(1, min(line, len(self._line_starts)))
        return min(self._line_starts[line - 1] + max(column, 1) - 1, len(self.text))

    def line_prefix(self, offset: int) -> str:
        """The text between the start of ``offset``'s line and ``offset`` (never the blanked
        byte-order mark: it is not indentation, and a fix that copied it would add a space)."""
        start = self.text.rfind("\n", 0, offset) + 1
        if start == 0 and self.bom:
            start = min(1, offset)
        return self.text[start:offset]

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end != -1 else len(self.text)].rstrip("\r")

    def byte_offset(self, offset: int) -> int:
        """Byte offset in the UTF-8 encoding of a character offset."""
        if self.text.isascii():
            return offset
        return len(self.text[:offset].encode("utf-8"))

    @property
    def line_count(self) -> int:
        """Number of lines in the text."""
        return len(self._line_starts)


def decode(path: str, data: bytes) -> Source:
    """Decode bytes as UTF-8 SQL, refusing binary content with a clear message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and _is_utf16(data):  # Windows editors, PowerShell
        raise SourceError(path, "is UTF-16 text; save it as UTF-8, which is the only encoding DSQL accepts")
    if b"\x00" in data[:8192] or b"\x00" in data[-8192:]:
        raise SourceError(path, "looks like a binary file (it contains NUL bytes), not SQL text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path,
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); "
            "save it as UTF-8, which is the only encoding DSQL accepts",
        ) from None
    if "\x00" in text:
        raise SourceError(path, "contains NUL characters, which PostgreSQL never accepts in SQL text")
    return Source(path=path, text=text)


def _is_utf16(data: bytes) -> bool:
    """True when ``data`` (which starts with a UTF-16 byte-order mark) decodes as UTF-16 text."""
    try:
        data.decode("utf-16")
    except UnicodeDecodeError:
        return False
    return True


def read_path(path: Path) -> Source:
    """Read one file from disk into a :class:`Source`."""
    return decode(os.fspath(path), read_path_bytes(path))


def read_path_bytes(path: Path) -> bytes:
    """The bytes of one file (the cache hashes them before decoding); failures are SourceErrors."""
    return read_path_bytes_and_stat(path)[0]


def read_path_bytes_and_stat(path: Path) -> tuple[bytes, os.stat_result | None]:
    """:func:`read_path_bytes`, and the file's ``stat`` taken before it was read (None when it is not
    a regular file): a run record need not read a file again whose ``stat`` has not changed since.

    One ``open`` and one ``fstat`` per file (what ``is_dir``, ``stat`` and ``read_bytes`` asked in
    three rounds, 10 us a file): the file is opened as :func:`open_binary` opens it, without waiting
    for a writer, and what it is is read from the open descriptor.
    """
    display = os.fspath(path)
    try:
        try:
            fd, info = _open(display)
        except PermissionError:
            if os.path.isdir(display):
                _refuse_folder(display)
            raise
        try:
            if stat.S_ISDIR(info.st_mode):  # only a folder that the search could not enter reaches this (see discover)
                _refuse_folder(display)
            size = info.st_size
            if size > MAX_FILE_BYTES:
                raise SourceError(
                    display, f"is {size // (1024 * 1024)} MiB, over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit"
                )
            if stat.S_ISREG(info.st_mode):
                return _read_all(fd, size + 1), info
            return _read_all(fd, 1 << 16), None  # a FIFO, a pipe: what its writer wrote
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise SourceError(display, "does not exist") from None
    except PermissionError:
        raise SourceError(display, "cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise SourceError(display, "is a directory") from None
    except OSError as exc:
        raise SourceError(display, f"cannot be read ({exc.strerror or exc})") from None


def _refuse_folder(display: str) -> NoReturn:
    """The error for a folder given where a file is read: one that cannot be searched says why."""
    try:
        os.listdir(display)
    except OSError as exc:
        raise SourceError(display, f"is a folder that cannot be searched ({exc.strerror or exc})") from None
    raise SourceError(display, "is a directory")


def _read_all(fd: int, first: int) -> bytes:
    """Everything left to read from ``fd``: ``first`` bytes asked at once (a regular file's size and
    one more, so a file read whole takes one call and the end is seen by the next), then the rest."""
    data = os.read(fd, first)
    if not data:
        return data
    parts = [data]
    while chunk := os.read(fd, 1 << 20):
        parts.append(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def open_binary(path: str) -> BinaryIO:
    """``open(path, "rb")`` that never hangs on, nor reads forever from, something that is not a file.

    The file is opened without waiting for a writer: a FIFO named ``x.sql`` that nobody writes
    to reads as empty, a pipe given as a path (``<(...)``) reads what is written to it. A device
    (``x.sql`` linked to ``/dev/zero``) is refused with an OSError saying so.
    """
    fd, _ = _open(path)
    return os.fdopen(fd, "rb")


def _open(path: str) -> tuple[int, os.stat_result]:
    """:func:`open_binary`'s descriptor, and its ``fstat``: opened without waiting for a writer, a
    device refused (OSError), anything but a regular file made blocking again for its reader."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            raise OSError(0, "a device, not a file", path)
        if not stat.S_ISREG(mode):
            os.set_blocking(fd, True)
        return fd, info
    except BaseException:
        os.close(fd)
        raise


def read_stdin(display: str = "-") -> Source:
    """Read standard input into a :class:`Source`."""
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(display, f"standard input is over the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit")
    STDIN_BYTES[:] = [data]  # ``--fix -`` gives back what it cannot decode unchanged
    return decode(display, data)


#: The bytes read from standard input by :func:`read_stdin` (at most one entry).
STDIN_BYTES: list[bytes] = []


def printable(path: str) -> str:
    """``path`` as reports print it: bytes that were not UTF-8 as ``\\xff``, control characters
    (newlines, ESC, backspace ...) as escapes, so a file name can neither break a line, a JSON
    or XML document, nor send escape sequences to a terminal."""
    if path.isprintable():
        return path
    out = []
    for ch in path:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)
