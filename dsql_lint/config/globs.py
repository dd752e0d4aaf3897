"""Path globs for ``exclude`` and ``per-file-ignores``: ``*``, ``?``, ``[...]`` and ``**``.

A glob without a ``/`` matches a file or folder name anywhere (``legacy`` or ``*.down.sql``);
a glob with a ``/`` matches the path relative to the configuration file's folder
(``migrations/legacy/**``, ``db/V1__*.sql``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path, PurePosixPath


@lru_cache(maxsize=256)
def _compile(glob: str) -> re.Pattern[str]:
    out: list[str] = []
    i = 0
    while i < len(glob):
        ch = glob[i]
        if glob.startswith("**/", i):
            # "**/**/" matches what "**/" matches; repeated, the regex backtracked for seconds on a
            # deep path (six of them: 11.6 s per path 60 folders deep).
            if not out or out[-1] != "(?:.*/)?":
                out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            # A "]" right after "[" or "[!" belongs to the set, as in fnmatch: "[]a]", "[!]a]".
            first = i + 2 if glob.startswith("[!", i) else i + 1
            if glob.startswith("]", first):
                first += 1
            close = glob.find("]", first)
            if close == -1:
                out.append(re.escape(ch))
            else:
                body = glob[i + 1 : close]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = close
        else:
            out.append(re.escape(ch))
        i += 1
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error:  # a set the regex engine still refuses: match the glob's characters literally
        return re.compile(re.escape(glob) + r"\Z")


def relative_posix(path: str, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes, or normalised as given when outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return PurePosixPath(Path(os.path.normpath(path)).as_posix()).as_posix()


def path_matches(path: str, globs: Iterable[str], root: Path, parents: bool) -> bool:
    """True when ``path`` matches one of ``globs`` (and, with ``parents``, when a folder above it does)."""
    rel = relative_posix(path, root)
    parts = rel.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))] if parents else [rel]
    for glob in globs:
        pattern = glob.strip().rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if not pattern:
            continue
        regex = _compile(pattern)
        if "/" in pattern:
            if any(regex.match(c) for c in candidates):
                return True
        else:
            names = parts if parents else parts[-1:]
            if any(regex.match(name) for name in names):
                return True
    return False
