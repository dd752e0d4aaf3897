"""The per-file result cache in ``.dsql-lint-cache/``: an unchanged file is not linted again.

What the per-file pass of a run produces (its diagnostics and the small summary the folder
pass replays, see :mod:`dsql_lint.migrations`) depends on the file's bytes, its path and
migration view, the resolved settings, the dsql-lint version and code, and the installed rule
plugins. All of those go into the key, so a hit returns exactly what linting would:

- one folder per *run fingerprint* (version + settings + rule plugins and their versions +
  dsql-lint's own code), ``v3-<hash>/``;
- inside it, :data:`SHARDS` packed files ``files-<n>.pack``, each holding the entries of the
  paths that hash to it: per path the content hash and migration key the entry was made for,
  the diagnostics as compact rows and the folder-pass summary (plain tuples, marshalled); and one
  ``folder-<hash>.pack`` per list of files for the folder pass's own findings (a header, then the
  findings in pieces, each written as it comes out of the spill file: never joined in memory).

A 1,000-file folder is 16 reads of ``marshal`` data instead of 1,000 JSON documents, and a
one-file run (an editor, a pre-commit hook) reads one shard, not the whole folder's results.
``marshal`` of plain strings, numbers, tuples, lists, dicts and frozensets only: loading it never
runs code (unlike pickle), and every pack starts with a tag of its payload keyed by this user's
cache key (:mod:`dsql_lint.run.signing`), so a truncated, damaged, foreign or forged file is a cache
miss, never an error or a result; a cache folder that cannot be written
only means nothing is cached. Writes go to a temporary file renamed into place, so a concurrent
run never reads half a file; a shard is re-read and merged under a lock (``flock``) before it
is rewritten, so concurrent runs do not drop each other's entries. The few most recently used
fingerprints are kept; older ones (and folders of older formats) are deleted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import marshal
import os
import sys
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

from dsql_lint.__about__ import __version__
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity
from dsql_lint.records import Record
from dsql_lint.run.signing import TAG_BYTES, hasher, key, sign, verified
from dsql_lint.text.disk import Spill
from dsql_lint.text.source import Source

try:  # what hashlib.blake2b is; importing hashlib would also load OpenSSL (~3 ms of every run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without _blake2
    from hashlib import blake2b

CACHE_DIR_NAME = ".dsql-lint-cache"
FORMAT = 5
#: How many packed files a fingerprint's per-file entries are spread over (by a hash of the path).
SHARDS = 16
_MAGIC = b"DSQLLINTPACK\x00\x03"
#: Entries stored waiting for :meth:`Cache.save` move to a temporary file once their packed rows
#: and summaries pass this size (a cold run of 10,000 files held 40 MB of them until the end); a run
#: that stores less (the 1,000-file benchmark folder's 4 MB) makes no file.
SPILL_AT = 4 << 20
#: Once there is a spill file, entries move to it every time this much more waits, and what was
#: moved is freed: moving 4 MB each time, the 10,000-file folder's cold run peaked 5 MB higher.
SPILL_AGAIN_AT = 256 << 10
#: How many run fingerprints (settings/version combinations) keep a cache file.
KEEP_FILES = 8

#: Diagnostic fields stored in a row, in order (``path`` and ``source`` are re-attached on a hit).
_FIELDS = tuple(f.name for f in dataclasses.fields(Diagnostic) if f.name not in ("path", "source"))


def digest(data: bytes) -> str:
    """The content hash of a file's bytes."""
    return blake2b(data, digest_size=16).hexdigest()


def run_fingerprint(settings_key: str) -> str:
    """Everything besides a file that changes what linting it produces, hashed."""
    from dsql_lint.rules.entrypoints import fingerprint

    parts = (str(FORMAT), __version__, sys.version.split()[0], settings_key, ",".join(_FIELDS), fingerprint())
    return blake2b("\x00".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def encode_diagnostic(d: Diagnostic) -> list[Any]:
    """A diagnostic as a JSON row, without its path and source."""
    row = list(_ROW_VALUES(d))
    severity = row[_SEVERITY_AT]
    if isinstance(severity, Severity):
        row[_SEVERITY_AT] = severity._value_  # ``.value`` is a Python property (two calls) on 3.11
    fix = row[_FIX_AT]
    if isinstance(fix, Fix):
        row[_FIX_AT] = [fix.safety._value_, fix.title, [[e.start, e.end, e.text] for e in fix.edits]]
    return row


#: A diagnostic's row fields, read in one C call.
_ROW_VALUES = attrgetter(*_FIELDS)


#: Severity by value: a dict lookup instead of ``Severity(value)`` (10,000 findings on a warm run).
_SEVERITIES = {s.value: s for s in Severity}
_SAFETIES = {s.value: s for s in FixSafety}


def decode_diagnostic(row: list[Any] | tuple[Any, ...], path: str, source: Source | None) -> Diagnostic:
    """The diagnostic a row was made from, with ``path`` and ``source`` re-attached."""
    if len(row) != _ROW_LENGTH:
        raise ValueError("malformed diagnostic row")
    values = list(row)
    value = values[_SEVERITY_AT]
    severity = _SEVERITIES.get(value) if type(value) is str else None
    values[_SEVERITY_AT] = severity if severity is not None else Severity(value)  # Severity() raises as before
    fix = values[_FIX_AT]
    if fix is not None:
        safety, title, edits = fix
        kind = _SAFETIES.get(safety) if type(safety) is str else None
        values[_FIX_AT] = Fix(tuple([Edit(s, e, t) for s, e, t in edits]), kind or FixSafety(safety), title)
    if _POSITIONAL:
        return Diagnostic(path, *values, source=source)  # type: ignore[misc]
    return Diagnostic(path=path, source=source, **dict(zip(_FIELDS, values, strict=True)))


_ROW_LENGTH = len(_FIELDS)
_SEVERITY_AT = _FIELDS.index("severity")
_FIX_AT = _FIELDS.index("fix")
#: Diagnostic's fields are ``path``, the row's fields, ``source``: rows can be passed positionally.
_POSITIONAL = tuple(f.name for f in dataclasses.fields(Diagnostic)) == ("path", *_FIELDS, "source")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_PLAIN = (str, int, float, bool, type(None))


# -- a marshal-native codec for the folder-pass summary: dataclasses as tuples of their fields --


def pack(value: Any) -> Any:
    """A value as ``marshal`` stores it: dataclasses become tuples of their fields in order.

    Lists, tuples, dicts, sets and frozensets are kept as they are (``marshal`` stores them);
    a set becomes a frozenset. Anything else that ``marshal`` cannot store raises TypeError.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return tuple([pack(getattr(value, name)) for name in names])
    if kind is list:
        return [v if type(v) in _PLAIN else pack(v) for v in value]
    if kind is tuple:
        return tuple([v if type(v) in _PLAIN else pack(v) for v in value])
    if kind is set or kind is frozenset:
        return frozenset(pack(v) for v in value)
    if kind is dict:
        return {pack(k): pack(v) for k, v in value.items()}
    raise TypeError(f"cannot cache a {kind.__name__}")


def unpack(kind: Any, data: Any) -> Any:
    """The inverse of :func:`pack`, guided by the type ``kind`` (a dataclass or a hint).

    Raises (TypeError, ValueError...) for data of the wrong shape: the caller treats that as a miss.
    """
    return _unpacker(kind)(data)


def summary_blob(summary: Any) -> bytes:
    """A folder-pass summary as the ``marshal`` bytes the cache stores (and a worker sends back).

    A summary type may build its packed form itself (``packed()``, what :func:`pack` and
    :func:`_share` give, only faster: :class:`dsql_lint.migrations.summary.FileSummary` does).
    """
    packed = getattr(summary, "packed", None)
    return marshal.dumps(packed() if packed is not None else _share(pack(summary), {}))


def unpack_summary(kind: Any, blob: bytes) -> Any:
    """A summary of type ``kind`` from the bytes :meth:`Cache.lookup` returned (raises when damaged).

    A type with ``from_packed`` (the inverse of its ``packed``) rebuilds itself; others go through :func:`unpack`.
    """
    data = marshal.loads(blob)
    from_packed = getattr(kind, "from_packed", None)
    return from_packed(data) if from_packed is not None else unpack(kind, data)


@functools.cache
def _needs_work(kind: Any) -> bool:
    """True when values of type ``kind`` are not stored by ``marshal`` exactly as Python holds them."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return True
    if origin is typing.Union or origin is types.UnionType:
        return any(_needs_work(a) for a in args if a is not type(None))
    if origin is set:
        return True  # stored as a frozenset
    if origin in (list, frozenset, tuple, dict):
        return any(_needs_work(a) for a in args if a is not Ellipsis)
    return kind not in (str, int, float, bool, bytes, type(None), Any)


def _same(data: Any) -> Any:
    return data


@functools.cache
def _unpacker(kind: Any) -> Callable[[Any], Any]:
    """A function that rebuilds a value of type ``kind`` from its packed form (made once per type)."""
    if not _needs_work(kind):
        return _same
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is typing.Union or origin is types.UnionType:
        inner = _unpacker(next(a for a in args if a is not type(None)))
        return lambda data: None if data is None else inner(data)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _dataclass_unpacker(kind)
    if origin in (list, set, frozenset):
        item = _unpacker(args[0] if args else Any)
        return lambda data: origin(item(v) for v in data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            one = _unpacker(args[0])
            return lambda data: tuple(one(v) for v in data)
        parts = [_unpacker(a) for a in args]
        return lambda data: tuple(p(v) for p, v in zip(parts, data, strict=True))
    if origin is dict:
        value = _unpacker(args[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    return _same  # pragma: no cover - every other hint is handled above


def _dataclass_unpacker(kind: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(kind)
    fields = [(f.name, _unpacker(hints[f.name])) for f in dataclasses.fields(kind) if f.init]
    count = len(fields)
    convert = [(i, dec) for i, (_, dec) in enumerate(fields) if dec is not _same]
    if not convert:

        def build_plain(data: Any) -> Any:
            if type(data) is not tuple or len(data) != count:
                raise ValueError(f"malformed {kind.__name__}")
            return kind(*data)

        return build_plain

    def build(data: Any) -> Any:
        if type(data) is not tuple or len(data) != count:
            raise ValueError(f"malformed {kind.__name__}")
        values = list(data)
        for i, dec in convert:
            values[i] = dec(values[i])
        return kind(*values)

    return build


@dataclasses.dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class Entry(Record):
    """What the cache holds for one file: rows of diagnostics (None: not computed) and a summary.

    A looked-up entry holds its rows packed (the marshal bytes of the list, :func:`unpack_rows`),
    as the cache stores them: a run whose files the cache answers loads every shard, and rows as
    objects were 2-3 times their packed size (a 10,000-file folder's shards: about 90 MB).
    """

    rows: list[list[Any]] | bytes | None
    summary: Any

    def __init__(self, rows: list[list[Any]] | bytes | None, summary: Any) -> None:
        self.rows = rows
        self.summary = summary


def _hash(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _share(value: Any, strings: dict[str, str]) -> Any:
    """``value`` with equal strings made one object: ``marshal`` then stores each once and refers
    to it (a message, help text or URL repeated by 10,000 findings), so packs are smaller and
    load with fewer objects to build.
    """
    kind = type(value)
    if kind is str:
        return strings.setdefault(value, value)
    if kind is list:
        return [_share(v, strings) for v in value]
    if kind is tuple:
        return tuple([_share(v, strings) for v in value])
    if kind is frozenset:
        return frozenset(_share(v, strings) for v in value)
    if kind is dict:
        return {_share(k, strings): _share(v, strings) for k, v in value.items()}
    return value


#: Where a row (:func:`encode_diagnostic`) holds strings that many findings repeat.
_REPEATED_AT = tuple(
    i for i, name in enumerate(_FIELDS) if name in ("code", "name", "severity", "message", "help", "url")
)


def _share_rows(rows: list[Any] | None, strings: dict[str, str]) -> list[Any] | None:
    """:func:`_share` for the rows of one file, in place, reading only where rows repeat strings.

    A row of another shape (never made by :func:`encode_diagnostic`) goes through :func:`_share`.
    """
    if rows is None or type(rows) is not list:
        return _share(rows, strings)
    share = strings.setdefault
    for k, row in enumerate(rows):
        if type(row) is not list or len(row) != _ROW_LENGTH:
            rows[k] = _share(row, strings)
            continue
        for i in _REPEATED_AT:
            value = row[i]
            if type(value) is str:
                row[i] = share(value, value)
        fix = row[_FIX_AT]
        if fix is not None:
            row[_FIX_AT] = _share(fix, strings)
    return rows


def unpack_rows(rows: list[list[Any]] | bytes | None) -> list[list[Any]]:
    """An entry's rows as lists (an entry keeps them packed, :class:`Entry`); raises when damaged."""
    if rows is None:
        return []
    found = marshal.loads(rows) if type(rows) is bytes else rows
    if type(found) is not list:
        raise ValueError("rows")
    return found


def _storable(value: Any) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def shard_of(path: str) -> int:
    """Which packed file holds ``path``'s entry."""
    return int(_hash(path)[:8], 16) % SHARDS


def dump_pack(data: Any) -> bytes:
    """``data`` as the bytes of a pack: magic, this user's tag of the payload, ``marshal`` payload.

    The tag is keyed (:mod:`dsql_lint.run.signing`): whoever changes a pack cannot recompute it, so a
    forged pack is a miss, not a result. ValueError when there is no key (nothing is cached then).
    """
    signed = sign(marshal.dumps(data))
    if signed is None:
        raise ValueError("no cache key")
    return _MAGIC + signed


def load_pack(blob: bytes) -> Any:
    """The data of a pack's bytes; ValueError when they are not an intact pack of this format signed by this user."""
    return marshal.loads(_payload(blob))


def _payload(blob: bytes) -> memoryview:
    """A pack's payload (the ``marshal`` values after its magic and tag); ValueError when the bytes
    are not an intact pack of this format signed by this user."""
    head = len(_MAGIC)
    if blob[:head] != _MAGIC:
        raise ValueError("not a dsql-lint pack of this format")
    payload = verified(memoryview(blob)[head:])
    if payload is None:
        raise ValueError("damaged pack, or one this user's key did not sign")
    return payload


def _read_pack(path: Path) -> Any:
    """The data of the pack at ``path``, or None when it is missing or unreadable."""
    try:
        with open(path, "rb") as fh:
            return load_pack(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None


class Cache:
    """The entries of one run fingerprint, in :data:`SHARDS` packed files read on first use.

    A shard is read once per run, when the first of its paths is looked up; only the shards of
    the files being linted are read, so a one-file run reads one. Summaries stay packed until
    the folder pass asks for them (:func:`unpack`); a fully cached run never does.
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
        self._shards: dict[int, dict[str, Any]] = {}
        self._pending: dict[int, dict[str, Any]] = {}
        self._pending_folder: dict[str, Any] = {}
        #: The size of the pending entries' packed rows and summaries (see :data:`SPILL_AT`).
        self._pending_bytes = 0
        #: The spill file (None: not opened yet; False: none can be), and where each shard's spilled entries start.
        self._spill: Spill | Literal[False] | None = None
        self._spilled: dict[int, list[int]] = {}
        #: The lists of folder findings given out by :meth:`pieces` (spilled with the entries).
        self._piece_lists: list[Pieces] = []
        #: One object per distinct migration key stored.
        self._strings: dict[str, str] = {}
        #: The content hash of every file the last run linted, by path (a run record depends on them).
        self.linted: dict[str, str] = {}
        #: Their stat keys (``fastpath.stat_key``) as they were read, where known.
        self.linted_stats: dict[str, bytes] = {}

    @classmethod
    def open(cls, directory: str | os.PathLike[str] | None, settings_key: str) -> Cache:
        """The cache for these settings in ``directory`` (default ``./.dsql-lint-cache``)."""
        return cls(Path(directory) if directory else Path(CACHE_DIR_NAME), run_fingerprint(settings_key))

    def _shard_path(self, shard: int) -> Path:
        return self.root / f"files-{shard:02d}.pack"

    def _folder_path(self, files: str) -> Path:
        return self.root / f"folder-{_hash(files)}.pack"

    def _load_shard(self, shard: int) -> dict[str, Any]:
        """One shard's entries as stored: ``{path: (content, migration key, rows, summary bytes)}``."""
        data = _read_pack(self._shard_path(shard)) if self.known else None
        if not (type(data) is tuple and len(data) == 3 and data[0] == "files" and data[1] == self.fingerprint):
            return {}
        entries = data[2]
        return entries if type(entries) is dict else {}

    def holds(self, path: str, shard: int | None = None) -> bool:
        """Whether there is an entry for ``path`` at all (of any content); when not, that is a miss.

        A run asks this first, so that it reads and hashes only the files the cache may answer:
        on a cold run, none. ``shard``: :func:`shard_of` ``path``, when the caller has it already.
        """
        if shard is None:
            shard = shard_of(path)
        entries = self._shards.get(shard)
        if entries is None:
            entries = self._shards[shard] = self._load_shard(shard)
        if path in entries:
            return True
        self.misses += 1
        return False

    def lookup(
        self, path: str, content: str, migration_key: str, summary_type: Any = None, shard: int | None = None
    ) -> Entry | None:
        """The entry for ``path`` if it was made for this content hash and migration key, else None.

        Without ``summary_type`` the summary stays packed, as bytes (rebuild it with
        :func:`unpack_summary` when the folder pass needs it): a fully cached run never does.
        ``shard``: as for :meth:`holds`.
        """
        if shard is None:
            shard = shard_of(path)
        entries = self._shards.get(shard)
        if entries is None:
            entries = self._shards[shard] = self._load_shard(shard)
        raw = entries.get(path)
        try:
            if raw is None or raw[0] != content or raw[1] != migration_key:
                self.misses += 1
                return None
            _, _, rows, summary = raw
            if rows is not None and type(rows) is not bytes:
                raise ValueError("rows")
            if summary is not None and type(summary) is not bytes:
                raise ValueError("summary")
            if summary is not None and summary_type is not None:
                summary = unpack_summary(summary_type, summary)
        except Exception:  # a corrupted entry is a miss
            self.misses += 1
            return None
        self.hits += 1
        return Entry(rows, summary)

    def forget_loaded(self) -> None:
        """Let the shards read for lookups go (the entries looked up keep what they hold): a run
        asks for each of its files first, and :meth:`save` reads a shard again before writing it."""
        self._shards.clear()

    def store(self, path: str, content: str, migration_key: str, entry: Entry) -> None:
        """Remember what linting ``path`` produced (written by :meth:`save`).

        ``entry.summary`` is a summary object, or already the bytes of :func:`summary_blob`
        (a worker packs it, so this process does not).
        """
        try:
            # The summary as its own marshal bytes: loading a shard then builds one object per
            # summary, and only the folder pass, when it has to run again, unpacks them.
            summary = entry.summary
            if summary is not None and type(summary) is not bytes:
                summary = summary_blob(summary)
        except (TypeError, ValueError):
            return
        # Stored packed (see Entry), each file's repeated strings (a rule's help and URL) shared
        # within its rows. Rows that marshal cannot store (a plugin's odd value) stay a list, and
        # save() leaves that file out.
        rows: Any = entry.rows
        if rows is not None and type(rows) is not bytes:
            with contextlib.suppress(ValueError):
                rows = marshal.dumps(_share_rows(rows, {}))
        strings = self._strings
        entry_data = (content, strings.setdefault(migration_key, migration_key), rows, summary)
        self._pending.setdefault(shard_of(path), {})[path] = entry_data
        self._count_pending((len(rows) if type(rows) is bytes else 0) + (len(summary) if summary else 0))

    def _count_pending(self, size: int) -> None:
        """``size`` more bytes wait for :meth:`save`: past :data:`SPILL_AT` (then :data:`SPILL_AGAIN_AT`),
        move them all to the spill file."""
        self._pending_bytes += size
        if self._pending_bytes > (SPILL_AT if self._spill is None else SPILL_AGAIN_AT):
            self._spill_pending()

    def _spill_pending(self) -> None:
        """Move the pending entries to the spill file (:data:`SPILL_AT`); they stay here when there is none."""
        if self._spill is None:
            self._spill = self._open_spill()
        spill = self._spill
        if spill is False:
            return
        try:
            for shard, new in self._pending.items():
                spilled = self._spilled.setdefault(shard, [])
                kept = {}
                for name, data in new.items():
                    try:
                        spilled.append(spill.add((name, data)))
                    except ValueError:  # an entry marshal cannot store stays (save() leaves it out)
                        kept[name] = data
                new.clear()
                new.update(kept)
            for pieces in self._piece_lists:
                pieces.spill(spill)
        except OSError:  # a full disk: what is left stays here (an entry written too is merged twice, the same)
            self._spill = False
            return
        self._pending_bytes = 0

    def _open_spill(self) -> Spill | Literal[False]:
        """The spill file, in the cache folder; False when the folder cannot be written (as :meth:`save` would find)."""
        try:
            return Spill(str(self.directory)) if self._ready_directory() else False
        except OSError:
            return False

    def _ready_directory(self) -> bool:
        """Make the cache folder (marked as a cache) where this cache may write; False where it may not."""
        if key() is None:  # nothing can be signed: run without a cache (see dsql_lint.run.signing)
            return False
        if self.directory.is_symlink():
            # A link (to ".", to another project ...): writing a .gitignore ("*") into its target
            # or pruning folders there could hide or delete the user's files. Run without a cache.
            return False
        self.directory.mkdir(parents=True, exist_ok=True)
        _mark_cache_dir(self.directory)
        return True

    def _shard_news(self, shard: int) -> Iterator[tuple[str, Any]]:
        """The entries stored for ``shard`` this run, spilled ones first (a later store of a path wins)."""
        spill = self._spill
        for offset in self._spilled.pop(shard, ()):
            yield spill.at(offset)  # type: ignore[union-attr]  # (places exist only where a spill does)
        yield from self._pending.get(shard, {}).items()

    def diagnostic(self, row: list[Any], path: str, source: Source | None) -> Diagnostic:
        """The diagnostic of a row this cache returned (raises for a corrupted row)."""
        return decode_diagnostic(row, path, source)

    def folder_lookup(self, files: str, key: str) -> list[Any] | None:
        """The folder pass's findings (``[path, row]`` pairs) for this list of ``files``, if none changed."""
        if not self.known:
            return None
        import io

        try:
            with open(self._folder_path(files), "rb") as fh:
                stream = io.BytesIO(_payload(fh.read()))
            header = marshal.load(stream)
            if type(header) is not tuple or len(header) != 5 or type(header[4]) is not int:
                return None
            if header[:4] != ("folder", self.fingerprint, files, key):
                return None
            rows = []
            for _ in range(header[4]):
                piece = marshal.load(stream)
                if type(piece) is not list:
                    return None
                rows.extend(piece)
            return rows
        except (OSError, ValueError, EOFError, TypeError):
            return None

    def pieces(self) -> Pieces:
        """An empty list of folder findings for :meth:`folder_store`, kept with the entries waiting for
        :meth:`save` (moved to the spill file with them past :data:`SPILL_AT`)."""
        pieces = Pieces(self)
        self._piece_lists.append(pieces)
        return pieces

    def folder_store(self, files: str, key: str, pieces: Pieces | list[bytes]) -> None:
        """Remember the folder pass's findings for this exact list of files in this exact state: ``[path,
        row]`` pairs, in pieces each packed by ``marshal.dumps`` (a streamed run packs each file's as
        it goes, into :meth:`pieces`: the 10,000-file folder's 106,000 findings were 7 MB held to the end).
        """
        if type(pieces) is list:
            listed = self.pieces()
            for piece in pieces:
                listed.append(piece)
            pieces = listed
        self._pending_folder[files] = (key, pieces)

    def save(self) -> None:
        """Write new entries atomically; a folder that cannot be written is silently skipped."""
        if not self._pending and not self._pending_folder and not self._spilled:
            return
        try:
            if not self._ready_directory():
                return
            created = not self.root.is_dir()
            self.root.mkdir(exist_ok=True)
            with _locked(self.root / "lock"):
                for shard in sorted({*self._pending, *self._spilled}):
                    # Re-read under the lock: a concurrent run may have added entries since ours was read.
                    self.known = True
                    entries = self._load_shard(shard)
                    added = []
                    for name, data in self._shard_news(shard):
                        entries[name] = data
                        added.append(name)
                    self._pending.pop(shard, None)
                    try:
                        payload = marshal.dumps(("files", self.fingerprint, entries))
                    except ValueError:  # an entry marshal cannot store: leave it out
                        for name in [n for n in added if not _storable(entries[n])]:
                            del entries[name]
                        payload = marshal.dumps(("files", self.fingerprint, entries))
                    # Not kept loaded (a later lookup reads it again): one shard in memory at a time.
                    self._shards.pop(shard, None)
                    del entries
                    _write_pack(self._shard_path(shard), (payload,))
            for files, (key, pieces) in self._pending_folder.items():
                header = marshal.dumps(("folder", self.fingerprint, files, key, len(pieces)))
                _write_pack(self._folder_path(files), itertools.chain((header,), pieces))
            self._piece_lists.clear()
            self._pending.clear()
            self._pending_folder.clear()
            self._pending_bytes = 0
            if self._spill:
                self._spill.close()
            self._spill = None
            os.utime(self.root)  # the most recently used fingerprints are kept
            if created:
                _prune(self.directory, self.root)
        except (OSError, ValueError):
            return


@contextlib.contextmanager
def _locked(path: Path) -> Any:
    """Hold an exclusive ``flock`` on ``path`` (where locks exist; else just run the block)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write_pack(target: Path, parts: Iterable[bytes]) -> None:
    """Write a pack (:func:`load_pack` reads it) whose payload is ``parts`` end to end, atomically,
    a part at a time: the payload is never joined in memory, and its tag is written last, over the
    place kept for it. ValueError when there is no key (nothing is cached then)."""
    from dsql_lint.text.disk import create_temporary

    digest = hasher()
    if digest is None:
        raise ValueError("no cache key")
    fd, tmp = create_temporary(os.fspath(target.parent), ".tmp-", ".pack")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC)
            fh.write(bytes(TAG_BYTES))
            for part in parts:
                digest.update(part)
                fh.write(part)
            fh.seek(len(_MAGIC))
            fh.write(digest.digest())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class Pieces:
    """Folder findings waiting for :meth:`Cache.save`, each piece the ``marshal`` bytes of a list of
    ``[path, row]`` pairs, in the order added: in memory, or at a place (:meth:`Spill.add`) in the
    cache's spill file."""

    __slots__ = ("_cache", "_items", "_spilled")

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._items: list[bytes | int] = []
        #: The items before this index are places in the spill file already.
        self._spilled = 0

    def append(self, piece: bytes) -> None:
        self._items.append(piece)
        self._cache._count_pending(len(piece))

    def spill(self, spill: Spill) -> None:
        """Move the pieces held in memory to ``spill`` (OSError when the disk is full: what is left stays)."""
        items = self._items
        for i in range(self._spilled, len(items)):
            items[i] = spill.add(items[i])
            self._spilled = i + 1

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[bytes]:
        spill = self._cache._spill
        for item in self._items:
            if type(item) is bytes:
                yield item
            else:
                yield spill.at(item)  # type: ignore[union-attr,arg-type]  # (places exist only where a spill does)


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
    """Delete all but the most recently used fingerprints' entries, and every older format's."""
    import re
    import shutil

    current = f"v{FORMAT}-"
    found = []
    try:
        for p in directory.iterdir():
            if p == keep or not re.fullmatch(r"v[0-9]+-[0-9a-f]+", p.name):
                continue
            if not p.name.startswith(current):
                found.append((float("inf"), p))  # another format: always deleted
            else:
                found.append((-p.stat().st_mtime, p))
    except OSError:
        return
    found.sort(key=lambda item: item[0])
    recent = [p for order, p in found if order != float("inf")][: KEEP_FILES - 1]
    for _, old in found:
        if old in recent:
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                old.unlink()
