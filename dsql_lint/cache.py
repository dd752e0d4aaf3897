"""The per-file result cache in ``.dsql-lint-cache/``: an unchanged file is not linted again.

What the per-file pass of a run produces (its diagnostics and the small summary the folder
pass replays, see :mod:`dsql_lint.migrations`) depends on the file's bytes, its path and
migration view, the resolved settings, the dsql-lint version and code, and the installed rule
plugins. All of those go into the key, so a hit returns exactly what linting would:

- one folder per *run fingerprint* (version + settings + rule plugins and their versions +
  dsql-lint's own code), ``v1-<hash>/``;
- inside it, one small JSON file per linted path (named by a hash of the path): the content
  hash and migration key it was made for, the diagnostics as compact rows and the folder-pass
  summary; and one per list of files for the folder pass's own findings.

The format is JSON, never pickle: the folder may be shared or committed by mistake, and
reading it must never run code. A missing, truncated or corrupted cache file or entry is a
cache miss, never an error, and a cache folder that cannot be written only means nothing is
cached. Writes go to a temporary file renamed into place, so a concurrent run never reads half
a file. The few most recently used fingerprints are kept; older ones are deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import sys
import tempfile
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dsql_lint.__about__ import __version__
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity
from dsql_lint.source import Source

CACHE_DIR_NAME = ".dsql-lint-cache"
FORMAT = 1
#: How many run fingerprints (settings/version combinations) keep a cache file.
KEEP_FILES = 8

#: Diagnostic fields stored in a row, in order (``path`` and ``source`` are re-attached on a hit).
_FIELDS = tuple(f.name for f in dataclasses.fields(Diagnostic) if f.name not in ("path", "source"))


def digest(data: bytes) -> str:
    """The content hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def run_fingerprint(settings_key: str) -> str:
    """Everything besides a file that changes what linting it produces, hashed."""
    from dsql_lint.entrypoints import fingerprint

    parts = (str(FORMAT), __version__, sys.version.split()[0], settings_key, ",".join(_FIELDS), fingerprint())
    return hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def encode_diagnostic(d: Diagnostic) -> list[Any]:
    """A diagnostic as a JSON row, without its path and source."""
    row: list[Any] = []
    for name in _FIELDS:
        value = getattr(d, name)
        if isinstance(value, Severity):
            value = value.value
        elif isinstance(value, Fix):
            value = [value.safety.value, value.title, [[e.start, e.end, e.text] for e in value.edits]]
        row.append(value)
    return row


#: Severity by value: a dict lookup instead of ``Severity(value)`` (10,000 findings on a warm run).
_SEVERITIES = {s.value: s for s in Severity}


def decode_diagnostic(row: list[Any], path: str, source: Source | None) -> Diagnostic:
    """The diagnostic a row was made from, with ``path`` and ``source`` re-attached."""
    values = dict(zip(_FIELDS, row, strict=True))
    value = values["severity"]
    severity = _SEVERITIES.get(value) if type(value) is str else None
    values["severity"] = severity if severity is not None else Severity(value)  # Severity() raises as before
    fix = values.get("fix")
    if fix is not None:
        safety, title, edits = fix
        values["fix"] = Fix(tuple(Edit(s, e, t) for s, e, t in edits), FixSafety(safety), title)
    return Diagnostic(path=path, source=source, **values)


# -- a typed JSON codec for the folder-pass summary (plain dataclasses of simple fields) -----


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, float, bool, type(None))


def to_jsonable(value: Any) -> Any:
    """Dataclasses become lists of their fields in order; sets and tuples become lists."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return [to_jsonable(getattr(value, name)) for name in names]
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN else to_jsonable(v) for v in value]
    if kind is set or kind is frozenset:
        return [to_jsonable(v) for v in sorted(value)]
    if kind is dict:
        return {str(k): to_jsonable(v) for k, v in value.items()}
    raise TypeError(f"cannot cache a {kind.__name__}")


def from_jsonable(kind: Any, data: Any) -> Any:
    """The inverse of :func:`to_jsonable`, guided by the type ``kind`` (a dataclass or a hint)."""
    return _decoder(kind)(data)


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of type ``kind`` from its JSON form (made once per type)."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is typing.Union or origin is types.UnionType:
        inner = _decoder(next(a for a in args if a is not type(None)))
        return lambda data: None if data is None else inner(data)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _dataclass_decoder(kind)
    if origin in (list, set, frozenset):
        item = _decoder(args[0] if args else Any)
        return lambda data: origin(item(v) for v in data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            one = _decoder(args[0])
            return lambda data: tuple(one(v) for v in data)
        parts = [_decoder(a) for a in args]
        return lambda data: tuple(p(v) for p, v in zip(parts, data, strict=True))
    if origin is dict:
        value = _decoder(args[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    if kind in (str, int, float, bool):

        def check(data: Any) -> Any:
            if not isinstance(data, kind):
                raise ValueError(f"expected {kind.__name__}")
            return data

        return check
    return lambda data: data


def _dataclass_decoder(kind: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(kind)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(kind)]
    count = len(fields)

    def build(data: Any) -> Any:
        if not isinstance(data, list) or len(data) != count:
            raise ValueError(f"malformed {kind.__name__}")
        return kind(**{name: dec(v) for (name, dec), v in zip(fields, data, strict=True)})

    return build


@dataclasses.dataclass
class Entry:
    """What the cache holds for one file: rows of diagnostics (None: not computed) and a summary."""

    rows: list[list[Any]] | None
    summary: Any


class Cache:
    """The entries of one run fingerprint: one small JSON file per linted path, read and written on demand.

    One file per path (not one file per folder) keeps a one-file run (an editor, a pre-commit
    hook) from reading and rewriting the whole folder's results, and keeps memory flat: only the
    entries of the files being linted are ever loaded.
    """

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.fingerprint = fingerprint
        self.root = directory / f"v{FORMAT}-{fingerprint[:24]}"
        #: True when entries for this fingerprint exist: an earlier run with these exact settings
        #: and rules completed, so the settings are known to be valid.
        self.known = self.root.is_dir()
        self.hits = 0
        self.misses = 0
        self._pending: dict[Path, dict[str, Any]] = {}
        #: The content hash of every file the last run linted, by path (a run record depends on them).
        self.linted: dict[str, str] = {}

    @classmethod
    def open(cls, directory: str | os.PathLike[str] | None, settings_key: str) -> Cache:
        """The cache for these settings in ``directory`` (default ``./.dsql-lint-cache``)."""
        return cls(Path(directory) if directory else Path(CACHE_DIR_NAME), run_fingerprint(settings_key))

    def _entry_path(self, kind: str, name: str) -> Path:
        key = hashlib.blake2b(f"{kind}\x00{name}".encode(), digest_size=16).hexdigest()
        return self.root / key[:2] / f"{key}.json"

    def _read(self, kind: str, name: str) -> dict[str, Any] | None:
        if not self.known:
            return None
        try:
            with open(self._entry_path(kind, name), "rb") as fh:
                document = json.loads(fh.read())
        except (OSError, ValueError):
            return None
        if isinstance(document, dict) and document.get("name") == name:
            return document
        return None

    def lookup(self, path: str, content: str, migration_key: str, summary_type: Any = None) -> Entry | None:
        """The entry for ``path`` if it was made for this content hash and migration key, else None.

        Without ``summary_type`` the summary stays in its JSON form (decode it with
        :func:`from_jsonable` when the folder pass needs it): a fully cached run never does.
        """
        raw = self._read("file", path)
        try:
            if raw is None or raw["content"] != content or raw["migration"] != migration_key:
                self.misses += 1
                return None
            rows, summary = raw["rows"], raw["summary"]
            if rows is not None and not isinstance(rows, list):
                raise ValueError("rows")
            if summary is not None and summary_type is not None:
                summary = from_jsonable(summary_type, summary)
        except Exception:  # a corrupted entry is a miss
            self.misses += 1
            return None
        self.hits += 1
        return Entry(rows, summary)

    def store(self, path: str, content: str, migration_key: str, entry: Entry) -> None:
        """Remember what linting ``path`` produced (written by :meth:`save`)."""
        try:
            summary = None if entry.summary is None else to_jsonable(entry.summary)
        except TypeError:
            return
        document = {"name": path, "content": content, "migration": migration_key, "rows": entry.rows}
        document["summary"] = summary
        self._pending[self._entry_path("file", path)] = document

    def diagnostic(self, row: list[Any], path: str, source: Source | None) -> Diagnostic:
        """The diagnostic of a row this cache returned (raises for a corrupted row)."""
        return decode_diagnostic(row, path, source)

    def folder_lookup(self, files: str, key: str) -> list[Any] | None:
        """The folder pass's findings (``[path, row]`` pairs) for this list of ``files``, if none changed."""
        raw = self._read("folder", files)
        if raw is not None and raw.get("key") == key and isinstance(raw.get("rows"), list):
            rows: list[Any] = raw["rows"]
            return rows
        return None

    def folder_store(self, files: str, key: str, rows: list[Any]) -> None:
        """Remember the folder pass's findings for this exact list of files in this exact state."""
        self._pending[self._entry_path("folder", files)] = {"name": files, "key": key, "rows": rows}

    def save(self) -> None:
        """Write new entries atomically; a folder that cannot be written is silently skipped."""
        if not self._pending:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _mark_cache_dir(self.directory)
            created = not self.root.is_dir()
            for target, document in self._pending.items():
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(target, json.dumps(document, separators=(",", ":"), ensure_ascii=False))
            self._pending.clear()
            os.utime(self.root)  # the most recently used fingerprints are kept
            if created:
                _prune(self.directory, self.root)
        except OSError:
            return


def _write_atomically(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mark_cache_dir(directory: Path) -> None:
    """A ``.gitignore`` and a ``CACHEDIR.TAG`` so neither git nor backups pick the folder up."""
    ignore = directory / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Automatically created by dsql-lint.\n*\n", encoding="utf-8")
        (directory / "CACHEDIR.TAG").write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by dsql-lint.\n",
            encoding="utf-8",
        )


def _prune(directory: Path, keep: Path) -> None:
    """Delete all but the most recently used fingerprints' entries."""
    import shutil

    try:
        found = [(p.stat().st_mtime, p) for p in directory.glob(f"v{FORMAT}-*") if p != keep]
    except OSError:
        return
    found.sort(reverse=True)
    for _, old in found[KEEP_FILES - 1 :]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                old.unlink()
