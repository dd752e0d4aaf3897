"""The key that signs what dsql-lint keeps in its cache folder, so only the user's own runs are trusted.

A cache pack or a run record decides what a later run reports: a forged one could say "All
checks passed" for a file DSQL rejects. A plain checksum only finds damage, since whoever
changes the data can recompute it. So every pack and record carries a keyed BLAKE2b tag, and a
tag made with another key is a miss (the files are linted again and the cache rewritten):

- ``DSQL_LINT_CACHE_KEY`` (any string, e.g. a CI secret) is the key when it is set, so runners
  that share a cache folder (``actions/cache``) and the secret trust each other's results;
- otherwise the key is 32 random bytes in ``$XDG_CACHE_HOME/dsql-lint/cache-key`` (default
  ``~/.cache/dsql-lint/cache-key``), made on first use and readable by the user alone.

When neither can be had (no home folder, a read-only one), runs go on without a cache.
This module imports only ``os``: the replay path (:mod:`dsql_lint.cli.fastpath`) uses it.
"""

from __future__ import annotations

import os
from _operator import _compare_digest  # hmac.compare_digest, without importing hmac and hashlib

try:  # the same algorithm as hashlib.blake2b, without importing OpenSSL (about 4 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the builtin module
    from hashlib import blake2b

KEY_ENV = "DSQL_LINT_CACHE_KEY"
KEY_FILE_NAME = "cache-key"
KEY_BYTES = 32
TAG_BYTES = 16

TYPE_CHECKING = False  # typing costs a replay about 5 ms to import; mypy reads this name as typing's
if TYPE_CHECKING:
    from typing import Any

_KEY: list[bytes | None] = []  # the key of this process, once looked up


def key_file() -> str | None:
    """Where the per-user key lives (None without a home folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if home == "~" or not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "dsql-lint", KEY_FILE_NAME)


def _read_key(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(KEY_BYTES + 1)
    except OSError:
        return None
    return data if len(data) == KEY_BYTES else None


def _make_key(path: str) -> bytes | None:
    """A new random key at ``path`` (or the one a concurrent run made first)."""
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        tmp = os.path.join(folder, f".{KEY_FILE_NAME}.{os.getpid()}.{os.urandom(4).hex()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(KEY_BYTES))
            try:  # noqa: SIM105 - contextlib is one more import on the replay path
                os.link(tmp, path)  # never replaces a key another run made meanwhile
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    except OSError:
        return None
    return _read_key(path)


def key() -> bytes | None:
    """This user's cache key, or None when there is none to be had (then nothing is cached)."""
    if _KEY:
        return _KEY[0]
    secret = os.environ.get(KEY_ENV)
    found: bytes | None
    if secret:
        found = blake2b(secret.encode("utf-8", "surrogateescape"), digest_size=KEY_BYTES).digest()
    else:
        path = key_file()
        found = None if path is None else (_read_key(path) or _make_key(path))
    _KEY.append(found)
    return found


def sign(payload: bytes) -> bytes | None:
    """``payload`` preceded by its tag; None without a key."""
    tag = tag_of(payload)
    return None if tag is None else tag + payload


def tag_of(payload: bytes) -> bytes | None:
    """The tag of ``payload`` with this user's key (what :class:`hasher` gives fed with it); None without a key."""
    digest = hasher()
    if digest is None:
        return None
    digest.update(payload)
    return bytes(digest.digest())


def hasher() -> Any:
    """A keyed BLAKE2b to feed a big payload to a piece at a time (its ``digest()`` is the tag
    :func:`sign` would give); None without a key."""
    secret = key()
    if secret is None:
        return None
    return blake2b(digest_size=TAG_BYTES, key=secret)


def same_tag(a: bytes, b: bytes) -> bool:
    """Whether two tags are equal, compared in constant time."""
    return bool(_compare_digest(a, b))


def verified(blob: bytes | memoryview) -> memoryview | None:
    """The payload of a signed ``blob`` when its tag is this user's, else None."""
    secret = key()
    if secret is None or len(blob) < TAG_BYTES:
        return None
    view = memoryview(blob)
    payload = view[TAG_BYTES:]
    if not _compare_digest(blake2b(payload, digest_size=TAG_BYTES, key=secret).digest(), bytes(view[:TAG_BYTES])):
        return None
    return payload
