"""A progress bar on standard error for long runs, drawn only where a person watches it.

It appears only when standard error is a terminal, the output format is ``text`` (never
json, sarif or another machine format) and the run has many files. It redraws at most ten
times a second and erases itself when the run ends, so the report starts on a clean line; a
report written while files are linted (a streamed run) erases it before each write
(:class:`BelowTheReport`), and the next step draws it again under what was written.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: Fewer files than this finish too quickly for a bar to help.
MIN_FILES = 50
_WIDTH = 30


def wanted(output_format: str, stream: TextIO | None = None) -> bool:
    """True when a bar may be drawn: a human format and a terminal on standard error."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return output_format == "text" and callable(isatty) and bool(isatty())


class ProgressBar:
    """``progress(done, total)`` callback drawing ``[#####.....] 523/1000 files`` on a terminal."""

    def __init__(self, stream: TextIO | None = None, min_files: int = MIN_FILES) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.min_files = min_files
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if total < self.min_files:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = _WIDTH * done // max(total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total} files")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the bar (if one was drawn) so the report starts on a clean line."""
        if self._drawn:
            self.stream.write("\r" + " " * (_WIDTH + 30) + "\r")
            self.stream.flush()
            self._drawn = False

    def clear(self) -> None:
        """Erase the bar for a moment: the report writes a line, and the next step draws the bar again below it."""
        if self._drawn:
            self.close()
            self._last = 0.0


class BelowTheReport:
    """Standard output for a report written while the bar is drawn (a streamed run on a terminal):
    each write erases the bar first, so findings scroll above it and it is drawn again under them."""

    def __init__(self, stream: TextIO, bar: ProgressBar) -> None:
        self._stream = stream
        self._bar = bar

    def write(self, text: str) -> int:
        self._bar.clear()
        return self._stream.write(text)

    def __getattr__(self, name: str) -> object:  # flush, isatty, encoding ... of the stream itself
        return getattr(self._stream, name)
