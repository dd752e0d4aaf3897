"""Find the files to lint: explicit files as given, directories searched for ``*.sql``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

#: Directories never searched (they hold tools' state, not migrations).
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".dsql-lint-cache",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)

STDIN = "-"


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders digit runs by value: ``V2`` before ``V10``, case-insensitively.

    A digit is a decimal digit (``\\d``, what ``int`` reads): ``²`` is a character like any other.
    Each other character is one element, ``(1, 0, its lower case)``, made once per character.
    """
    key: list[tuple[int, int, str]] = []
    chars = _CHAR_KEYS
    for i, part in enumerate(_DIGIT_RUNS.split(name)):
        if i % 2:  # split() puts the runs of digits at the odd places
            key.append((0, int(part), ""))
            continue
        for char in part:
            element = chars.get(char)
            if element is None:
                element = chars[char] = (1, 0, char.lower())
            key.append(element)
    return tuple(key)


#: Runs of decimal digits, kept by ``split`` (in a group).
_DIGIT_RUNS = re.compile(r"(\d+)")
#: A non-digit character's key element, by character (file names repeat few characters).
_CHAR_KEYS: dict[str, tuple[int, int, str]] = {}


def walk_sql_files(root: Path) -> list[Path]:
    """Every ``*.sql`` file under ``root`` in a stable order.

    A folder's own files come first in natural order (2 before 10), then each
    subfolder in natural order, recursively.
    """
    return [Path(p) for p in walk_sql_paths(root)]


def walk_sql_paths(root: Path) -> list[str]:
    """:func:`walk_sql_files` as strings, spelled as ``str(Path(folder) / name)`` spells them.

    Joined as strings (a ``Path`` per file cost about 40 ms per 1,000 files): ``root`` is
    already in pathlib's normal form, so only the ``./`` that :func:`os.walk` puts before the
    sub-folders of ``.`` differs from it.
    """
    from dsql_lint.text import disk

    found: list[str] = []

    def unsearchable(error: OSError) -> None:
        # A folder the walk cannot enter (no permission, a path over PATH_MAX) is listed like a
        # file: reading it fails and reports it, so a run never skips migrations silently.
        if error.filename is not None and os.fspath(error.filename) != os.fspath(root):
            found.append(os.fspath(error.filename))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unsearchable):
        if disk.TRACE is not None:  # a run being recorded for replay: it depends on this listing
            disk.trace_folder(dirpath, dirnames, filenames)
        dirnames[:] = sorted((d for d in dirnames if d not in SKIPPED_DIRS), key=natural_key)
        prefix = _prefix(dirpath)
        found.extend(prefix + name for name in sorted(filenames, key=natural_key) if name.lower().endswith(".sql"))
    return found


def _prefix(dirpath: str) -> str:
    """What ``str(Path(dirpath) / name)`` puts before ``name``."""
    if dirpath == ".":
        return ""
    if dirpath.startswith("./"):
        dirpath = dirpath[2:]
    return dirpath if dirpath.endswith("/") else dirpath + "/"


def discover(paths: Iterable[str]) -> list[str]:
    """Expand command-line paths into files to lint (``-`` stays as stdin), without duplicates.

    Paths that do not exist are passed through, so that reading them reports a clear error.
    """
    result: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == STDIN:
            candidates = [raw]
        else:
            path = Path(raw)
            candidates = walk_sql_paths(path) if path.is_dir() else [raw]
        for candidate in candidates:
            if candidate != STDIN:
                from dsql_lint.text import disk

                disk.trace_file(candidate)
            if candidate not in seen:
                seen.add(candidate)
                result.append(candidate)
    return result
