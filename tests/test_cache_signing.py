"""Cache packs and run records are signed with the user's key: forged ones are misses (issue 20, item 11).

Whoever can write the cache folder (a shared CI cache, another user) could otherwise make a
later run report "All checks passed" by editing a pack and recomputing its checksum.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from hashlib import blake2b
from pathlib import Path

import pytest

from dsql_lint.config.settings import Settings
from dsql_lint.run import signing
from dsql_lint.run.cache import _MAGIC, Cache, load_pack
from dsql_lint.run.lint import lint_files, make_linter

BAD = "CREATE TABLE t (id serial PRIMARY KEY);\n"


@pytest.fixture(autouse=True)
def _own_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test has its own key file and no key in the environment."""
    monkeypatch.delenv(signing.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(signing, "_KEY", [])


def _run(folder: Path, cache_dir: Path):  # type: ignore[no-untyped-def]
    settings = Settings()
    cache = Cache.open(cache_dir, settings.cache_key())
    return lint_files([str(folder)], make_linter(settings), cache=cache), cache


def _forge(cache_dir: Path, key: bytes | None) -> int:
    """Empty every file entry's findings and re-tag the packs with ``key`` (None: an unkeyed checksum)."""
    forged = 0
    for pack in cache_dir.glob("v*/files-*.pack"):
        data = load_pack(pack.read_bytes())
        entries = {path: (*entry[:2], marshal.dumps([]), entry[3]) for path, entry in data[2].items()}  # no rows
        payload = marshal.dumps((data[0], data[1], entries))
        tag = blake2b(payload, digest_size=signing.TAG_BYTES, key=key or b"").digest()  # b"": no key
        pack.write_bytes(_MAGIC + tag + payload)
        forged += 1
    return forged


@pytest.mark.parametrize("key", [None, b"x" * 32], ids=["recomputed-checksum", "other-key"])
def test_a_forged_pack_is_a_miss_not_a_result(tmp_path: Path, key: bytes | None) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "one.sql").write_text(BAD, encoding="utf-8")
    first, _ = _run(folder, tmp_path / "c")
    assert [d.code for d in first.diagnostics] == ["DSQL101"]
    assert _forge(tmp_path / "c", key) == 1
    second, cache = _run(folder, tmp_path / "c")
    assert cache.hits == 0 and [d.code for d in second.diagnostics] == ["DSQL101"]


def test_the_key_file_is_made_once_and_only_the_user_can_read_it(tmp_path: Path) -> None:
    key = signing.key()
    path = tmp_path / "xdg" / "dsql-lint" / "cache-key"
    assert key is not None and path.read_bytes() == key and len(key) == signing.KEY_BYTES
    assert path.stat().st_mode & 0o077 == 0
    signing._KEY.clear()
    assert signing.key() == key  # a later run reads the same key


def test_runs_that_share_the_environment_key_trust_each_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "one.sql").write_text(BAD, encoding="utf-8")
    monkeypatch.setenv(signing.KEY_ENV, "a CI secret")
    _run(folder, tmp_path / "c")
    # Another machine: another home folder, the same secret.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    signing._KEY.clear()
    again, cache = _run(folder, tmp_path / "c")
    assert cache.hits == 1 and [d.code for d in again.diagnostics] == ["DSQL101"]
    assert not (tmp_path / "elsewhere").exists()  # the secret is the key: no key file is made
    monkeypatch.setenv(signing.KEY_ENV, "another secret")
    signing._KEY.clear()
    assert _run(folder, tmp_path / "c")[1].hits == 0


def test_without_any_key_the_run_lints_and_caches_nothing(tmp_path: Path) -> None:
    """A home folder where no key can be made (here: the key's folder is a file): no cache, same findings."""
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "dsql-lint").write_text("not a folder", encoding="utf-8")
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "one.sql").write_text(BAD, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    env.pop(signing.KEY_ENV, None)
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "dsql_lint", "check", "--cache-dir", str(tmp_path / "c"), str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 1 and "DSQL101" in done.stdout and "Traceback" not in done.stderr
    assert not list((tmp_path / "c").glob("v*/*.pack")) and not list((tmp_path / "c").glob("runs/*.run"))
