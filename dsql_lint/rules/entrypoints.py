"""Find the ``dsql_lint.rules`` entry points quickly, without importing ``importlib.metadata``.

``importlib.metadata`` costs about 25 ms to import (it pulls in ``email``, ``csv`` and
``zipfile``), which is a sixth of a small file's whole run. The entry points of installed
distributions live in plain ``entry_points.txt`` files inside ``*.dist-info`` /
``*.egg-info`` folders on ``sys.path``; reading those directly takes about a millisecond.

The semantics follow ``importlib.metadata.entry_points(group=...)``: distributions are
visited in ``sys.path`` order and a distribution name seen earlier on the path hides a later
one. When ``sys.path`` holds something this reader does not understand (a zip file or an
egg), :func:`scan` returns None and the caller falls back to ``importlib.metadata``.
"""

from __future__ import annotations

import os
import sys

GROUP = "dsql_lint.rules"
_SECTION = f"[{GROUP}]"


def _normalise(name: str) -> str:
    """``re.sub(r"[-_.]+", "_", name).lower()`` without importing ``re`` (this module loads on every run)."""
    out: list[str] = []
    in_run = False
    for ch in name:
        if ch in "-_.":
            if not in_run:
                out.append("_")
            in_run = True
        else:
            out.append(ch)
            in_run = False
    return "".join(out).lower()


class RuleEntryPoint:
    """One ``name = module:attr`` line of the rules group, with the distribution that declares it.

    A plain class rather than a dataclass: this module is imported on every run, and
    ``dataclasses`` (with ``inspect``) costs about 12 ms to import.
    """

    __slots__ = ("dist", "name", "value", "version")

    def __init__(self, name: str, value: str, dist: str, version: str) -> None:
        self.name = name
        self.value = value
        self.dist = dist
        self.version = version

    def _fields(self) -> tuple[str, str, str, str]:
        return (self.name, self.value, self.dist, self.version)

    def __eq__(self, other: object) -> bool:
        return type(other) is RuleEntryPoint and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"RuleEntryPoint(name={self.name!r}, value={self.value!r}, dist={self.dist!r}, version={self.version!r})"

    @property
    def module(self) -> str:
        """The module part of the value."""
        return self.value.partition(":")[0].strip()

    @property
    def attr(self) -> str:
        """The attribute part of the value (may be dotted), or empty."""
        return self.value.partition(":")[2].split("[", 1)[0].strip()

    def load(self) -> object:
        """Import the module and return the named attribute, as ``EntryPoint.load`` does."""
        from importlib import import_module

        target: object = import_module(self.module)
        for part in filter(None, self.attr.split(".")):
            target = getattr(target, part)
        return target


def _dist_name_version(entry: str, folder: str) -> tuple[str, str]:
    stem = entry.rsplit(".", 1)[0]
    name, _, rest = stem.partition("-")
    version = rest.split("-", 1)[0]
    if not version:  # ``name.egg-info`` from a development install: the version is in PKG-INFO
        try:
            with open(os.path.join(folder, "PKG-INFO"), encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("Version:"):
                        version = line.split(":", 1)[1].strip()
                        break
        except OSError:
            pass
    return name, version


def _group_lines(text: str) -> list[tuple[str, str]]:
    """``(name, value)`` pairs of the rules group in an ``entry_points.txt``."""
    pairs = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            inside = line == _SECTION
            continue
        if inside and "=" in line:
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs


def scan(path: list[str] | None = None) -> list[RuleEntryPoint] | None:
    """Every rules entry point on ``path`` (default ``sys.path``), or None if the path is unusual."""
    seen: set[str] = set()
    found: list[RuleEntryPoint] = []
    for folder in sys.path if path is None else path:
        folder = folder or "."
        if os.path.isfile(folder):
            return None  # a zip archive on the path: let importlib.metadata handle it
        try:
            entries = sorted(os.listdir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".egg"):
                return None
            if not (entry.endswith(".dist-info") or entry.endswith(".egg-info")):
                continue
            dist_dir = os.path.join(folder, entry)
            name, version = _dist_name_version(entry, dist_dir)
            key = _normalise(name)
            if key in seen:
                continue
            seen.add(key)
            try:
                with open(os.path.join(dist_dir, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if _SECTION not in text:
                continue
            found.extend(RuleEntryPoint(n, v, name, version) for n, v in _group_lines(text))
    return found


def _package_stamp() -> str:
    """Size and modification time of dsql-lint's own modules, so a development checkout's edits count."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # dsql_lint/ (this is dsql_lint/rules/)
    newest = 0
    total = 0
    count = 0
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                for item in it:
                    if item.is_dir(follow_symlinks=False):
                        if item.name != "__pycache__":
                            stack.append(item.path)
                    elif item.name.endswith(".py"):
                        st = item.stat()
                        newest = max(newest, st.st_mtime_ns)
                        total += st.st_size
                        count += 1
        except OSError:
            continue
    return f"{count}:{total}:{newest}"


def fingerprint() -> str:
    """A string that changes when the set of rules, a plugin's version or dsql-lint's code changes."""
    points = scan()
    if points is None:
        from importlib.metadata import entry_points

        listed = sorted(
            f"{ep.name}={ep.value}@{getattr(ep.dist, 'name', '')}-{getattr(ep.dist, 'version', '')}"
            for ep in entry_points(group=GROUP)
        )
    else:
        listed = sorted(f"{ep.name}={ep.value}@{ep.dist}-{ep.version}" for ep in points)
    return "|".join(listed) + "#" + _package_stamp()
