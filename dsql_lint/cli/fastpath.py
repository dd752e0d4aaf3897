"""Replay a whole ``dsql-lint check`` run when nothing it depends on has changed.

The per-file cache (:mod:`dsql_lint.run.cache`) saves the linting, but a warm run over a big folder
still starts click, resolves the settings, plans the folder, decodes every cached finding and
renders the report: about half a second for 10,000 findings. Most warm runs are exact repeats
(the same command in the same folder, an editor or a pre-commit hook running again), so the
``dsql-lint`` command first asks this module, which imports almost nothing:

- the *invocation key* hashes the arguments, the working directory, the environment variables
  that can change a report (colour, ``DSQL*``, ``PYTHON*``, locale), whether standard output and
  error are terminals, the Python interpreter, and dsql-lint's code and rule plugins (see
  :func:`dsql_lint.rules.entrypoints.fingerprint`);
- a *run record* under ``<cache dir>/runs/<key>.run`` holds what one such run wrote to standard
  output, its exit code, and every input it read: the listing of each folder it searched, the
  content hash of each file (SQL files, Flyway ``.conf`` files, configuration files that were or
  could have been found, ``sqitch.plan`` files), and resolved folder paths;
- a run is replayed only when every one of those inputs is unchanged. A file whose ``lstat``
  (type, inode, size, modification and change times) is identical to the record and that was last
  changed well before the recorded run began is trusted without reading it (as git and ruff do);
  any other file is read and hashed, and the hash decides.

Anything unusual is simply not replayed (and not recorded): ``--fix``/``--diff``/``--add-noqa``,
``--live``, ``--no-cache``, ``--output-file``, ``--diff-base``, standard input, an option this
module does not know, a file that could not be linted, a symbolic link among the inputs. A
missing, corrupted or foreign record is a miss; records are written atomically and only the
most recently used few are kept. A record is the output as written (UTF-8), then a ``marshal``
header of plain strings, numbers and tuples (loading one never runs code, and its shape is checked
before use), the header's length and a tag of everything before it, made with this user's cache
key (:mod:`dsql_lint.run.signing`): a record someone else wrote is a miss. The output goes into the
record as the report is written (:class:`Spool`), and out of it in pieces when it is replayed,
so neither holds a big report whole (100,000 findings: 50 MB, and each copy as much again).

What a replay does not repeat is the progress bar: it is drawn only on a terminal and erased
when the run ends, so it never was part of the output.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
import time

from dsql_lint.cli.check_spec import REPLAY_FLAGS, REPLAY_VALUES
from dsql_lint.text import disk
from dsql_lint.text.disk import create_temporary, stat_key

TYPE_CHECKING = False  # typing is about 5 ms to import; mypy reads this name as typing's

try:  # the same algorithm as hashlib.blake2b, without importing OpenSSL (about 4 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the builtin module
    from hashlib import blake2b

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, BinaryIO

MAGIC = "dsql-lint-run-record"
FORMAT = 6
RUNS_DIR = "runs"
#: How many run records a cache folder keeps (the least recently used go first).
KEEP_RECORDS = 8
#: A file last changed less than this long before a run began is always hashed, never trusted by stat.
RACY_NS = 2_000_000_000
CACHE_DIR_NAME = ".dsql-lint-cache"
CONFIG_NAMES = ("dsql-lint.toml", ".dsql-lint.toml", "pyproject.toml")
SQITCH_FOLDERS = ("deploy", "revert", "verify")

#: ``check`` options that take a value, and flags, that a replayable run may use (declared with
#: every other option in :mod:`dsql_lint.cli.check_spec`).
_VALUE_OPTIONS = REPLAY_VALUES
_FLAGS = REPLAY_FLAGS
#: Variables that never change what a run prints (the working directory is in the key on its own).
_VOLATILE_ENV = frozenset(
    {
        "_",
        "OLDPWD",
        "PWD",
        "SHLVL",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
        "PYTHONPYCACHEPREFIX",
        "PYTHONHASHSEED",
        "PYTHONSTARTUP",
        "PYTHONBREAKPOINT",
        "PYTHONFAULTHANDLER",
        "PYTHONPROFILEIMPORTTIME",
        "DSQL_LINT_CACHE_KEY",  # a secret: only checks records (dsql_lint.run.signing), never changes output
        "PYTHONTRACEMALLOC",
        "PYTHONMALLOC",
        "PYTHONMALLOCSTATS",
    }
)


# -- the command line, read without click ------------------------------------------------------


class Request:
    """One replayable ``check`` invocation: its key, its paths, and where its cache lives."""

    def __init__(self, argv: list[str], paths: list[str], config: str | None, cache_dir: str | None) -> None:
        self.argv = argv
        self.paths = paths or ["."]
        self.config = config
        self.cache_dir = cache_dir
        self.started_ns = time.time_ns()
        self.key = invocation_key(argv)


def parse(argv: list[str]) -> Request | None:
    """The request for ``argv`` (the arguments after the program name), or None when it cannot be replayed."""
    if not argv or argv[0] != "check":
        return None
    paths: list[str] = []
    values: dict[str, str] = {}
    i = 1
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg.startswith("-"):
            name, eq, value = arg.partition("=")
            if name in _VALUE_OPTIONS and name.startswith("--"):
                if not eq:
                    if i >= len(argv):
                        return None
                    value = argv[i]
                    i += 1
                values[name] = value
            elif arg == "-j" and i < len(argv):
                values["--jobs"] = argv[i]
                i += 1
            elif arg not in _FLAGS:
                return None  # stdin, --help, --fix, --live, an unknown or abbreviated option...
        else:
            paths.append(arg)
    cache_dir = values.get("--cache-dir") or os.environ.get("DSQL_LINT_CACHE_DIR") or None
    return Request(argv, paths, values.get("--config") or None, cache_dir)


def invocation_key(argv: Sequence[str]) -> str:
    """A hash of everything besides files that can change what ``argv`` prints."""
    from dsql_lint.rules.entrypoints import fingerprint

    env = sorted(
        (k, v)
        for k, v in os.environ.items()
        if k not in _VOLATILE_ENV
        and (k.startswith(("DSQL", "PYTHON", "LC_")) or k in ("NO_COLOR", "FORCE_COLOR", "LANG", "LANGUAGE"))
    )
    parts = (
        MAGIC,
        str(FORMAT),
        sys.version,
        sys.prefix,
        sys.base_prefix,
        os.getcwd(),
        repr(list(argv)),
        repr(env),
        repr((_isatty(sys.stdout), _isatty(sys.stderr))),
        fingerprint(),
    )
    return blake2b("\x00".join(parts).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def _raw_errors() -> str | None:
    """How standard output turns a report's text into bytes when it writes UTF-8 unchanged (no
    newline translation): its error handler, as the command runs it (a ``strict`` stream is made
    ``backslashreplace`` first, :func:`dsql_lint.cli.check_command.tolerate_unencodable_output`).
    A record made under that handler holds the very bytes standard output got, and a replay under
    the same handler copies them. None when the output is not UTF-8 text of that kind.

    (The record used to keep the bytes only for a ``strict`` stream, which the command itself had
    already made ``backslashreplace``: no replay copied bytes, each decoded and encoded the whole
    report again, 90 of the 283 million instructions of the benchmark folder's warm run.)
    """
    out = sys.stdout
    try:
        encoding = out.encoding.lower().replace("-", "").replace("_", "")
        if encoding != "utf8" or os.linesep != "\n" or not hasattr(out, "buffer"):
            return None
        errors = out.errors
    except AttributeError:
        return None
    if not isinstance(errors, str):
        return None
    return "backslashreplace" if errors == "strict" else errors


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# -- what a run depends on --------------------------------------------------------------------


def config_chain(paths: Sequence[str], explicit: str | None) -> tuple[str, ...]:
    """The configuration files :func:`dsql_lint.config.file.discover_config` may read for these paths."""
    if explicit:
        return (os.path.realpath(explicit),)  # its folder is the settings' root: a moved link is another chain
    first = next((p for p in paths if p != "-"), None) or "."
    here = os.path.realpath(first)
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    chain: list[str] = []
    while True:
        chain.extend(os.path.join(here, name) for name in CONFIG_NAMES)
        parent = os.path.dirname(here)
        # The search stops at a repository's root (config.REPOSITORY_MARKERS), as find_config does.
        if parent == here or any(os.path.exists(os.path.join(here, m)) for m in (".git", ".hg", ".svn")):
            return tuple(chain)
        here = parent


def sqitch_candidates(folder: str) -> tuple[str, str, tuple[str, ...]]:
    """``(folder, its resolved path, the sqitch.plan files the plan may look at)`` for a folder of files.

    Mirrors :func:`dsql_lint.migrations.plan._sqitch_root_of`: the folder and up to three of its
    parents are looked at, and those named deploy/revert/verify make their parent's
    ``sqitch.plan`` count.
    """
    resolved = os.path.realpath(folder or ".")
    candidates = []
    here = resolved
    for _ in range(4):
        if os.path.basename(here) in SQITCH_FOLDERS:
            candidates.append(os.path.join(os.path.dirname(here), "sqitch.plan"))
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return folder, resolved, tuple(candidates)


def listing(folder: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
    """A folder's entries as :func:`os.walk` sorts them: (sub-folders, their symbolic links, other names)."""
    dirs, links, files = [], [], []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    dirs.append(entry.name)
                    if entry.is_symlink():
                        links.append(entry.name)
                else:
                    files.append(entry.name)
    except OSError:
        return None
    return tuple(sorted(dirs)), tuple(sorted(links)), tuple(sorted(files))


def _hash_file(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return blake2b(fh.read(), digest_size=16).hexdigest()
    except OSError:
        return None


# -- replay --------------------------------------------------------------------------------------


def record_path(request: Request) -> str | None:
    """Where the record of ``request`` lives, or None when its cache folder cannot be guessed."""
    directory = request.cache_dir
    if directory is None:
        root = os.getcwd()
        if request.config:
            root = os.path.dirname(os.path.realpath(request.config))
        else:
            for candidate in config_chain(request.paths, None):
                try:
                    with open(candidate, "rb") as fh:
                        if not candidate.endswith("pyproject.toml") or _configures_dsql_lint(fh.read()):
                            root = os.path.dirname(candidate)
                            break
                except OSError:
                    continue
        directory = os.path.join(root, CACHE_DIR_NAME)
    return os.path.join(directory, RUNS_DIR, request.key + ".run")


def _configures_dsql_lint(data: bytes) -> bool:
    """Whether a pyproject.toml counts as the configuration, as :func:`dsql_lint.config.file.find_config` decides.

    It counts with a ``[tool.dsql-lint]`` table, and when it cannot be read as TOML (the full run
    reports that). A project that merely mentions dsql-lint (a dependency, a script) does not:
    the cache then lives in the current folder, and so must this guess.
    """
    if b"dsql-lint" not in data:
        return False
    if sys.version_info >= (3, 11):  # only for a pyproject.toml that mentions dsql-lint
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        tool = tomllib.loads(data.decode("utf-8")).get("tool")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True
    return isinstance(tool, dict) and "dsql-lint" in tool


#: The bytes after a record's header: its length (little-endian), then the tag.
_LENGTH_BYTES = 8
#: Pieces a record is hashed, copied and replayed in.
_PIECE = 1 << 20


def load(path: str) -> tuple[tuple[Any, ...], BinaryIO] | None:
    """A record's header, and the record open at its output, when its tag is this user's and its
    shape right; None when it is missing, corrupted, forged or of another format."""
    from dsql_lint.run.signing import TAG_BYTES, hasher, same_tag

    digest = hasher()
    if digest is None:  # no key: nothing was recorded, nothing is trusted
        return None
    try:
        fh = open(path, "rb")  # noqa: SIM115 - handed to the caller, which replays from it
    except OSError:
        return None
    try:
        header = _verified_header(fh, digest, TAG_BYTES, same_tag)
    except (OSError, EOFError, ValueError, TypeError):
        header = None
    if header is None:
        fh.close()
        return None
    fh.seek(0)
    return header, fh


def _verified_header(fh: BinaryIO, digest: Any, tag_bytes: int, same_tag: Any) -> tuple[Any, ...] | None:
    size = os.fstat(fh.fileno()).st_size
    body = size - tag_bytes  # what the tag covers: output, header, header length
    if body < _LENGTH_BYTES:
        return None
    left = body
    while left:
        piece = fh.read(min(_PIECE, left))
        if not piece:
            return None
        digest.update(piece)
        left -= len(piece)
    if not same_tag(digest.digest(), fh.read(tag_bytes)):
        return None
    fh.seek(body - _LENGTH_BYTES)
    length = int.from_bytes(fh.read(_LENGTH_BYTES), "little")
    output = body - _LENGTH_BYTES - length  # the output's length: it starts the file
    if output < 0:
        return None
    fh.seek(output)
    data = marshal.loads(fh.read(length))
    if not (isinstance(data, tuple) and len(data) == 10 and data[0] == MAGIC and data[1] == FORMAT):
        return None
    _, _, key, started, chain, dirs, files, raw, code, written = data
    shapes = (
        isinstance(key, str),
        type(started) is int,
        isinstance(chain, tuple),
        isinstance(dirs, tuple),
        isinstance(files, tuple),
        raw is None or type(raw) is str,
        type(code) is int,
        written == output,
    )
    return data if all(shapes) else None


def unchanged(record: tuple[Any, ...], request: Request) -> bool:
    """True when every input the recorded run read is as it was then."""
    _, _, key, started, chain, dirs, files, _, _, _ = record
    if key != request.key:
        return False
    if tuple(p for p, *_ in chain) != config_chain(request.paths, request.config):
        return False
    names: dict[str, set[str]] = {}  # the entries of folders whose listing is verified unchanged
    for folder, resolved, candidates, walked in dirs:
        if resolved is not None and os.path.realpath(folder or ".") != resolved:
            return False
        if candidates is not None and sqitch_candidates(folder)[2] != candidates:
            return False
        if walked is not None:
            if listing(folder) != walked:
                return False
            names[os.path.normpath(folder)] = {*walked[0], *walked[2]}
    trusted_before = started - RACY_NS
    for path, expected, digest, trust in (*chain, *files):
        if expected is None:  # absent then (a Flyway .conf, mostly): still absent from its unchanged folder?
            head, tail = os.path.split(path)
            entries = names.get(os.path.normpath(head or "."))
            if entries is not None and tail not in entries:
                continue
        try:
            st = os.lstat(path)
        except OSError:
            if expected is None:
                continue
            return False
        if expected is None or not stat.S_ISREG(st.st_mode):
            return False
        if trust and stat_key(st) == expected and max(st.st_mtime_ns, st.st_ctime_ns) < trusted_before:
            continue
        if _hash_file(path) != digest:
            return False
    return True


def replay(request: Request) -> tuple[BinaryIO, int, str | None, int] | None:
    """An unchanged earlier run of ``request``, if there was one: its record open at the output, the
    output's length, whether it is standard output's own bytes (else UTF-8 text), and the exit code."""
    path = record_path(request)
    if path is None:
        return None
    loaded = load(path)
    if loaded is None:
        return None
    record, fh = loaded
    try:
        same = unchanged(record, request)
    except (TypeError, ValueError):  # a record of the right shape holding the wrong things
        same = False
    if not same:
        fh.close()
        return None
    try:  # noqa: SIM105 - contextlib is one more import on the replay path
        os.utime(path)  # most recently used: kept when old records are pruned
    except OSError:
        pass
    return fh, record[9], record[7], record[8]


def _write_output(fh: BinaryIO, length: int, raw: str | None) -> None:
    """Copy a record's output to standard output, a piece at a time, as the recorded run wrote it:
    its bytes when it was recorded as this standard output writes (``raw``, :func:`_raw_errors`),
    else the UTF-8 text it holds."""
    left = length
    if raw is not None and raw == _raw_errors():
        sys.stdout.flush()
        out = sys.stdout.buffer
        while left:
            piece = fh.read(min(_PIECE, left))
            if not piece:
                break
            out.write(piece)
            left -= len(piece)
        out.flush()
        return
    if getattr(sys.stdout, "errors", None) == "strict":  # as the recorded run wrote it
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    from codecs import getincrementaldecoder

    decode = getincrementaldecoder("utf-8")("surrogatepass").decode  # a piece may end inside a character
    while left:
        piece = fh.read(min(_PIECE, left))
        if not piece:
            break
        sys.stdout.write(decode(piece))
        left -= len(piece)
    sys.stdout.write(decode(b"", True))
    sys.stdout.flush()


# -- recording -------------------------------------------------------------------------------------

#: The request being run in full, when this process may record it (set by :func:`main`).
_PENDING: Request | None = None


def pending() -> Request | None:
    """The request this process may record, if any."""
    return _PENDING


def _dep(
    path: str, started: int, known: str | None = None, seen: bytes | None = None
) -> tuple[str, Any, Any, bool] | None:
    """``(path, lstat key, hash, trust the stat)`` for a file; None when it cannot be recorded safely.

    ``known`` is the hash of the bytes the run itself linted; the file must still hold them.
    When ``seen``, the stat key of the file as the run read it, is its stat key now and the file
    was last changed well before the run began, it does (any write since would have changed its
    change time): it is not read again, as a replay trusts such a file. Otherwise it is hashed.
    A file the run only peeked at, or a configuration file, must not have changed since shortly
    before the run began, so that what is hashed now is what the run read.
    """
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        return (path, None, None, False)
    except OSError:
        return None
    if not stat.S_ISREG(before.st_mode):
        return None
    if known is not None and seen is not None:
        key = stat_key(before)
        if key == seen and max(before.st_mtime_ns, before.st_ctime_ns) < started - RACY_NS:
            return (path, key, known, True)
    digest = _hash_file(path)
    try:
        after = os.lstat(path)
    except OSError:
        return None
    if digest is None or stat_key(before) != stat_key(after):
        return None
    old = max(after.st_mtime_ns, after.st_ctime_ns) < started - RACY_NS
    if known is not None:
        return (path, stat_key(after), digest, old) if digest == known else None
    return (path, stat_key(after), digest, True) if old else None


def record(
    request: Request,
    spool: Spool,
    linted: dict[str, str],
    code: int,
    seen: dict[str, bytes] | None = None,
) -> None:
    """Save what this run printed (``spool``, written as the report was) and every input it read,
    so that an identical run replays it.

    ``linted`` maps each file the run linted to the hash of the bytes it linted, and ``seen``
    (when known) to its :func:`stat_key` as it was read. Nothing is saved when an input cannot
    be pinned down (a symbolic link, a file that changed meanwhile): the spool is dropped.
    """
    try:
        header = _header(request, linted, code, seen or {}, spool)
    except BaseException:
        spool.discard()
        raise
    if header is None:
        spool.discard()
    else:
        spool.finish(marshal.dumps(header), request.key + ".run")


def _header(
    request: Request, linted: dict[str, str], code: int, seen: dict[str, bytes], spool: Spool
) -> tuple[Any, ...] | None:
    """The record's header; None when an input cannot be pinned down."""
    trace = disk.TRACE
    if trace is None:
        return None
    started = request.started_ns
    chain_paths = config_chain(request.paths, request.config)
    found = list(trace["files"])
    deps: list[tuple[str, Any, Any, bool]] = []
    chain: list[tuple[str, Any, Any, bool]] = []
    for path in chain_paths:
        dep = _dep(path, started)
        if dep is None:
            return None
        chain.append(dep)
    folders: dict[str, Any] = {}
    for path in dict.fromkeys([*found, *linted]):
        dep = _dep(path, started, linted.get(path), seen.get(path))
        if dep is None or dep[1] is None:
            return None
        deps.append(dep)
        if path in linted:
            conf = _dep(path + ".conf", started)
            if conf is None:
                return None
            deps.append(conf)
        folders.setdefault(os.path.dirname(path), None)
    dirs: list[tuple[str, Any, Any, Any]] = []
    from dsql_lint.migrations.files import side_files

    for folder in folders:
        for side in side_files(folder):
            dep = _dep(side, started)
            if dep is None:
                return None
            deps.append(dep)
        _, resolved, candidates = sqitch_candidates(folder)
        for plan in candidates:
            dep = _dep(plan, started)
            if dep is None:
                return None
            deps.append(dep)
        dirs.append((folder, resolved, candidates, None))
    for folder, walked in trace["dirs"].items():
        if listing(folder) != walked:
            return None
        dirs.append((folder, None, None, walked))
    return (MAGIC, FORMAT, request.key, started, tuple(chain), tuple(dirs), tuple(deps), spool.raw, code, spool.size)


class Spool:
    """A run record being written: the report goes to standard output and into the record's temporary
    file at once (:meth:`write`, as a text stream), then :meth:`finish` adds the header and the tag
    and puts the record in place, atomically, or :meth:`discard` removes it."""

    def __init__(self, out: Any, folder: str, fh: BinaryIO, tmp: str, digest: Any) -> None:
        self.out = out
        self.folder = folder
        self._fh = fh
        self._tmp = tmp
        self._digest = digest
        #: The error handler standard output wrote the report's UTF-8 bytes with (the record holds
        #: those very bytes); None: the record holds UTF-8 text, written as text on replay.
        self.raw = _raw_errors()
        self._errors = self.raw or "surrogatepass"
        self.size = 0

    @classmethod
    def open(cls, out: Any, cache_directory: str) -> Spool | None:
        """A spool in ``cache_directory``'s runs folder writing through to ``out``; None when nothing
        can be recorded there (no key, a linked folder, a folder that cannot be written)."""
        from dsql_lint.run.signing import hasher

        digest = hasher()
        folder = os.path.join(cache_directory, RUNS_DIR)
        if digest is None or os.path.islink(cache_directory) or os.path.islink(folder):  # see cache.Cache.save
            return None
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = create_temporary(folder, ".tmp-", ".run")
        except OSError:
            return None
        return cls(out, folder, os.fdopen(fd, "wb"), tmp, digest)

    def write(self, text: str) -> int:
        """Write ``text`` to the output, and to the record as the output got it."""
        self.out.write(text)
        digest = self._digest
        if digest is None:  # the record was given up (see below)
            return len(text)
        data = text.encode("utf-8", self._errors)
        digest.update(data)
        try:
            self._fh.write(data)
        except OSError:  # the cache's disk is full: the report still goes out, the record is dropped
            self._digest = None
        self.size += len(data)
        return len(text)

    def discard(self) -> None:
        """Forget the record."""
        self._fh.close()
        try:  # noqa: SIM105 - contextlib is one more import on the replay path
            os.unlink(self._tmp)
        except OSError:
            pass

    def finish(self, header: bytes, name: str) -> None:
        """Add ``header``, its length and the tag, and put the record in place as ``name``."""
        digest = self._digest
        if digest is None:
            self.discard()
            return
        tail = header + len(header).to_bytes(_LENGTH_BYTES, "little")
        digest.update(tail)
        try:
            with self._fh as fh:
                fh.write(tail)
                fh.write(digest.digest())
            os.replace(self._tmp, os.path.join(self.folder, name))
        except OSError:  # the record is not kept; the run's output is out already
            self.discard()
            return
        except BaseException:
            self.discard()
            raise
        try:  # noqa: SIM105 - contextlib is one more import on the replay path
            _prune(self.folder)
        except OSError:
            pass


def _prune(folder: str) -> None:
    """Keep the :data:`KEEP_RECORDS` most recently used records."""
    found = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.endswith(".run") and not entry.name.startswith(".tmp-"):
                try:
                    found.append((entry.stat().st_mtime_ns, entry.path))
                except OSError:
                    continue
    found.sort(reverse=True)
    for _, path in found[KEEP_RECORDS:]:
        try:
            os.unlink(path)
        except OSError:
            continue


# -- the command ---------------------------------------------------------------------------------


def run(argv: list[str]) -> int | None:
    """Replay ``argv`` if an unchanged earlier run allows it (returns its exit code), else arm recording."""
    global _PENDING
    request = parse(argv)
    if request is None:
        return None
    done = replay(request)
    if done is not None:
        fh, length, raw, code = done
        with fh:
            _write_output(fh, length, raw)
        return code
    _PENDING = request
    disk.TRACE = {"dirs": {}, "files": {}}
    return None


#: The subcommands of ``dsql-lint``; any other first argument is a path or an option of ``check``.
COMMANDS = frozenset({"check", "rules", "config", "doctor"})
_GROUP_OPTIONS = frozenset({"--version", "-V", "--help", "-h"})


def normalize_argv(argv: list[str]) -> list[str]:
    """``dsql-lint V1__x.sql`` means ``dsql-lint check V1__x.sql`` (AWS's tool takes paths directly);
    ``-V`` is ``--version``."""
    if argv == ["-V"]:
        return ["--version"]
    if argv and argv[0] not in COMMANDS and argv[0] not in _GROUP_OPTIONS:
        return ["check", *argv]
    return argv


def main() -> None:
    """The ``dsql-lint`` command: an unchanged repeat run is replayed, anything else runs in full.

    A plain ``check`` runs without click (:mod:`dsql_lint.cli.quickcheck`); the rest goes to click.
    """
    argv = normalize_argv(sys.argv[1:])
    code = run(argv)
    if code is not None:
        sys.exit(code)
    from dsql_lint.cli.quickcheck import main as quick_main

    quick_main(argv)  # a plain ``check`` runs (and exits) here, without importing click
    import click

    from dsql_lint.cli.app import main as cli_main

    try:
        code = cli_main(args=argv, prog_name="dsql-lint", standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C (or end of input at a prompt)
        click.echo("\nAborted!", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
