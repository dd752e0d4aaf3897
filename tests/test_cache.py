"""The per-file cache: a hit returns exactly what linting returns, and anything that matters invalidates it."""

from __future__ import annotations

import itertools
import json
import marshal
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.settings import Settings
from dsql_lint.run.cache import (
    Cache,
    decode_diagnostic,
    dump_pack,
    encode_diagnostic,
    load_pack,
    shard_of,
    unpack_rows,
)
from dsql_lint.run.lint import lint_files, make_linter
from dsql_lint.run.parallel import LazyLinter

BAD = "CREATE TABLE t (id serial PRIMARY KEY);\nCREATE INDEX i ON t (a DESC);\n"
GOOD = "CREATE TABLE u (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n"


@pytest.fixture(autouse=True)
def _stable_code_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work may edit dsql_lint's files during a test; that must not look like a new version here."""
    import dsql_lint.rules.entrypoints

    monkeypatch.setattr(dsql_lint.rules.entrypoints, "_package_stamp", lambda: "test")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "one.sql").write_text(BAD, encoding="utf-8")
    (folder / "two.sql").write_text(GOOD + BAD, encoding="utf-8")
    return folder


def _run(folder: Path, cache_dir: Path, settings: Settings | None = None, lazy: bool = False):  # type: ignore[no-untyped-def]
    settings = settings or Settings(preset="all")
    cache = Cache.open(cache_dir, settings.cache_key())
    linter = LazyLinter(settings) if lazy else make_linter(settings)
    return lint_files([str(folder)], linter, cache=cache), cache, linter


def _shape(result) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    return [
        (d.path, d.line, d.column, d.end_line, d.end_column, d.code, d.message, d.help, d.fix, d.start, d.end)
        for d in result.diagnostics
    ]


def test_a_cache_hit_returns_the_same_diagnostics_with_their_source(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    first, cache1, _ = _run(folder, tmp_path / "c")
    assert cache1.hits == 0 and first.diagnostics
    second, cache2, linter = _run(folder, tmp_path / "c", lazy=True)
    assert cache2.hits == 2 and cache2.misses == 0
    assert _shape(second) == _shape(first)
    assert all(d.source is not None and d.source.text for d in second.diagnostics)
    assert not linter.built  # a fully cached run loads no rule


def test_a_fully_cached_run_imports_neither_a_parser_nor_the_rules(tmp_path: Path) -> None:
    import subprocess

    folder = _folder(tmp_path)
    code = (
        "import sys\nfrom dsql_lint.cli.app import main\nimport dsql_lint.rules.entrypoints as e\n"
        "e._package_stamp = lambda: 'test'\n"
        f"sys.argv = ['dsql-lint', 'check', '--cache-dir', {str(tmp_path / 'c')!r}, {str(folder)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', 'dsql_lint.frontend.pgsyntax' in sys.modules, 'sqlglot' in sys.modules,"
        " any(m.count('.') >= 3 and m.startswith('dsql_lint.rules.') for m in sys.modules))\n"  # a rule's module
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120) for _ in "12"]
    assert "LOADED True False True" in runs[0].stdout  # valid SQL: PostgreSQL's grammar only, no sqlglot tree
    assert "LOADED False False False" in runs[1].stdout, runs[1].stderr


def test_a_changed_file_is_linted_again(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _run(folder, tmp_path / "c")
    (folder / "one.sql").write_text(GOOD, encoding="utf-8")
    result, cache, _ = _run(folder, tmp_path / "c")
    assert cache.hits == 1 and cache.misses == 1
    assert {d.path for d in result.diagnostics if d.code == "DSQL101"} == {str(folder / "two.sql")}


def test_changed_settings_use_another_cache_entry(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _run(folder, tmp_path / "c")
    result, cache, _ = _run(folder, tmp_path / "c", Settings(preset="all", ignore=["DSQL101"]))
    assert cache.hits == 0
    assert result.diagnostics and "DSQL101" not in {d.code for d in result.diagnostics}


def test_a_new_version_or_rule_set_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    _run(folder, tmp_path / "c")
    import dsql_lint.rules.entrypoints as entrypoints
    import dsql_lint.run.cache as cache_module

    monkeypatch.setattr(cache_module, "__version__", "999.0")
    assert _run(folder, tmp_path / "c")[1].hits == 0
    monkeypatch.undo()
    real = entrypoints.fingerprint
    monkeypatch.setattr(entrypoints, "fingerprint", lambda: real() + "|ACME001=acme:Rule@acme-2.0")
    assert _run(folder, tmp_path / "c")[1].hits == 0


def test_the_rule_fingerprint_names_each_plugin_and_its_version() -> None:
    from dsql_lint.rules.entrypoints import fingerprint, scan

    points = scan()
    assert points is not None and any(p.name == "DSQL301" for p in points)
    assert "DSQL301=dsql_lint.rules" in fingerprint() and "@dsql_linter-" in fingerprint()


def _entries(cache_dir: Path) -> list[Path]:
    found = sorted(cache_dir.glob("v*/*.pack"))
    assert found, "no cache entries were written"
    return found


def _edit_files(cache_dir: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Rewrite every stored file entry as ``change(entry)`` in intact packs (checksums recomputed)."""
    for pack in _entries(cache_dir):
        data = load_pack(pack.read_bytes())
        if data[0] == "files":
            entries = {path: change(list(entry)) for path, entry in data[2].items()}
            pack.write_bytes(dump_pack((data[0], data[1], entries)))


def _entry_of(packs: dict[Path, bytes], path: str):  # type: ignore[no-untyped-def]
    for blob in packs.values():
        data = load_pack(blob)
        if data[0] == "files" and path in data[2]:
            return data[2][path]
    return None


def _set(index: int, value):  # type: ignore[no-untyped-def]
    def change(entry):  # type: ignore[no-untyped-def]
        entry[index] = value
        return tuple(entry)

    return change


def _rows(change):  # type: ignore[no-untyped-def]
    """Change each row of an entry (stored packed: see dsql_lint.run.cache.Entry)."""
    return lambda entry: (*entry[:2], marshal.dumps([change(list(row)) for row in marshal.loads(entry[2])]), entry[3])


def _pack_of(data):  # type: ignore[no-untyped-def]
    return lambda blob: dump_pack(data)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # a partial write (never ours: writes are renamed into place)
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 0xFF]),  # one byte changed: the checksum no longer matches
        lambda blob: b"not a pack at all",
        lambda blob: b"",
        _pack_of([1, 2, 3]),
        _pack_of(("files", "another fingerprint", {})),
        _pack_of(("folder", 7)),
    ],
)
def test_a_damaged_cache_file_is_ignored(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path)
    first, _, _ = _run(folder, tmp_path / "c")
    for pack in _entries(tmp_path / "c"):
        pack.write_bytes(damage(pack.read_bytes()))
    (folder / "two.sql").write_text(GOOD + BAD + "\n", encoding="utf-8")  # the folder pass must run again
    fresh = lint_files([str(folder)], make_linter(Settings(preset="all")))
    again, cache, _ = _run(folder, tmp_path / "c")
    assert _shape(again) == _shape(fresh) and len(_shape(first)) == len(_shape(fresh))
    assert cache.hits == 0


@pytest.mark.parametrize(
    "change",
    [
        _set(2, 7),  # rows that are not a list
        _set(3, b"not marshal data"),  # a summary that does not load
        _set(3, marshal.dumps([1, {"x": None}])),  # a summary of the wrong shape
        _set(3, marshal.dumps(("path", [("create_table", 1)], []))),  # a change with too few fields
        _set(3, "a summary that is not bytes"),
        _rows(lambda row: ["garbage"]),
        _rows(lambda row: [*row[:-3], ["unsafe", "title", [[0, "x", 1, 2]]], *row[-2:]]),  # a broken fix
        _rows(lambda row: ["fatal" if v in ("error", "warning") else v for v in row]),
        _rows(lambda row: row[:-1]),
        lambda entry: (entry[0],),
    ],
)
def test_a_corrupted_cache_entry_is_ignored(tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path)
    first, _, _ = _run(folder, tmp_path / "c")
    _edit_files(tmp_path / "c", change)
    (folder / "two.sql").write_text(GOOD + BAD + "\n", encoding="utf-8")  # the folder pass must run again
    fresh = lint_files([str(folder)], make_linter(Settings(preset="all")))
    again, _, _ = _run(folder, tmp_path / "c")
    assert _shape(again) == _shape(fresh) and len(_shape(first)) == len(_shape(fresh))


def test_corrupted_entries_through_the_cli_give_no_traceback(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    runner = CliRunner()
    args = ["check", "--cache-dir", str(tmp_path / "c"), str(folder)]
    first = runner.invoke(main, args)
    _edit_files(tmp_path / "c", lambda entry: (*entry[:2], [["garbage"]], marshal.dumps({"x": 1})))
    second = runner.invoke(main, args)
    assert second.exception is None or isinstance(second.exception, SystemExit)
    assert second.output == first.output and second.exit_code == first.exit_code == 1


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root can write anywhere")
def test_an_unwritable_cache_dir_still_lints(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = CliRunner().invoke(main, ["check", "--cache-dir", str(locked / "c"), str(folder)])
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 1 and "DSQL101" in result.output


def test_a_cache_dir_that_is_a_file_still_lints(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    for _ in range(2):
        result = CliRunner().invoke(main, ["check", "--cache-dir", str(blocker / "c"), str(folder)])
        assert result.exit_code == 1 and "DSQL101" in result.output, result.output
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    cache_dir = tmp_path / "c"
    runner = CliRunner()
    runner.invoke(main, ["check", "--no-cache", "--cache-dir", str(cache_dir), str(folder)])
    assert not cache_dir.exists()
    runner.invoke(main, ["check", "--cache-dir", str(cache_dir), str(folder)])
    _edit_files(cache_dir, _set(2, marshal.dumps([])))  # a poisoned entry: "no findings"
    poisoned = runner.invoke(main, ["check", "--cache-dir", str(cache_dir), str(folder)])
    fresh = runner.invoke(main, ["check", "--no-cache", "--cache-dir", str(cache_dir), str(folder)])
    assert "DSQL101" not in poisoned.output  # proves the cache is read by default ...
    assert "DSQL101" in fresh.output and fresh.exit_code == 1  # ... and skipped with --no-cache


def test_the_cache_folder_ignores_itself_for_git(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _run(folder, tmp_path / "c")
    assert (tmp_path / "c" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_diagnostic_rows_round_trip_with_fixes() -> None:
    from dsql_lint import lint_sql

    found = lint_sql("CREATE INDEX i ON t (a);", config={"preset": "all"})
    assert any(d.fix is not None for d in found)
    for d in found:
        again = decode_diagnostic(json.loads(json.dumps(encode_diagnostic(d))), d.path, d.source)
        assert again == d and again.to_json() == d.to_json()


def test_a_partly_cached_folder_gives_what_a_fresh_run_gives(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "V1__t.sql").write_text("CREATE TABLE t (id uuid PRIMARY KEY, a text);\n", encoding="utf-8")
    (folder / "V2__i.sql").write_text("CREATE INDEX ASYNC i ON t (a);\n", encoding="utf-8")
    (folder / "V3__u.sql").write_text("SELECT 1;\n", encoding="utf-8")
    _run(folder, tmp_path / "c")
    # the folder pass (schema replay) must see V1 and V2 from their cached summaries
    (folder / "V3__u.sql").write_text("CREATE INDEX ASYNC i ON t (a);\nUPDATE t SET a = 'x';\n", encoding="utf-8")
    partly, cache, _ = _run(folder, tmp_path / "c", lazy=True)
    assert cache.hits == 2 and cache.misses == 1
    fresh = lint_files([str(folder)], make_linter(Settings(preset="all")))
    assert _shape(partly) == _shape(fresh)
    assert any(d.path.endswith("V3__u.sql") for d in fresh.diagnostics)


def test_a_one_file_run_reads_and_writes_only_that_file_s_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    _run(folder, tmp_path / "c")
    before = {p: p.read_bytes() for p in _entries(tmp_path / "c")}
    (folder / "one.sql").write_text(GOOD, encoding="utf-8")
    settings = Settings(preset="all")
    cache = Cache.open(tmp_path / "c", settings.cache_key())
    read: list[int] = []
    real = Cache._load_shard
    monkeypatch.setattr(Cache, "_load_shard", lambda self, shard: read.append(shard) or real(self, shard))
    lint_files([str(folder / "one.sql")], make_linter(settings), cache=cache)
    after = {p: p.read_bytes() for p in _entries(tmp_path / "c")}
    changed = [p for p in after if before.get(p) != after[p]]
    assert cache.misses == 1 and cache.hits == 0
    assert read == [shard_of(str(folder / "one.sql"))] * 2  # the shard of one.sql: to look up, then to save
    # that file's shard and the (one-file) folder-pass entry; two.sql's entry is kept as it was
    assert sorted(p.name.split("-")[0] for p in changed) == ["files", "folder"]
    two = str(folder / "two.sql")
    assert _entry_of(after, two) == _entry_of(before, two) is not None


def test_an_entry_marshal_cannot_store_is_left_out_and_the_others_are_kept(tmp_path: Path) -> None:
    """A plugin's finding may hold a value marshal cannot write: that file is not cached, the rest are."""
    from dsql_lint.run.cache import Entry

    settings = Settings(preset="all")
    cache = Cache.open(tmp_path / "c", settings.cache_key())
    good = [[1, 1, 1, 2, "DSQL101", "serial-type", "error", "m", "h", "u", None, 0, 1]]
    odd = [[1, 1, 1, 2, "X1", "odd", "error", object(), "h", "u", None, 0, 1]]
    cache.store("a.sql", "hash-a", "key", Entry(good, None))
    cache.store("b.sql", "hash-b", "key", Entry(odd, None))
    cache.store("c.sql", "hash-c", "key", Entry(None, None))
    cache.save()
    again = Cache.open(tmp_path / "c", settings.cache_key())
    hit = again.lookup("a.sql", "hash-a", "key")
    assert hit is not None and unpack_rows(hit.rows) == good
    assert again.lookup("b.sql", "hash-b", "key") is None
    assert again.lookup("c.sql", "hash-c", "key") is not None


@pytest.mark.parametrize("spill_at", [0, 1 << 40])
def test_entries_waiting_for_save_spill_to_a_file_and_save_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill_at: int
) -> None:
    """Past SPILL_AT the entries of a run wait in an unnamed temporary file (a cold run of 10,000
    files held 40 MB of them); what is saved is the same, a path stored twice keeps the last
    entry, and an entry marshal cannot store is still left out."""
    import dsql_lint.run.cache as cache_module
    from dsql_lint.run.cache import Entry

    monkeypatch.setattr(cache_module, "SPILL_AT", spill_at)
    monkeypatch.setattr(cache_module, "SPILL_AGAIN_AT", spill_at)
    cache = Cache.open(tmp_path / "c", Settings().cache_key())
    rows = {
        f"f{n}.sql": [[n, 1, n, 2, "DSQL101", "serial-type", "error", f"m{n}", "h", "u", None, 0, 1]]
        for n in range(200)
    }
    for name, found in rows.items():
        cache.store(name, "old", "key", Entry([], b"x"))
        cache.store(name, f"hash-{name}", "key", Entry(found, b"summary"))
    odd = [[1, 1, 1, 2, "X1", "odd", "error", object(), "h", "u", None, 0, 1]]
    cache.store("odd.sql", "hash-odd", "key", Entry(odd, None))
    if spill_at == 0:
        assert cache._spill and sum(map(len, cache._spilled.values())) == 400  # every store but the odd one
        assert [name for new in cache._pending.values() for name in new] == ["odd.sql"]
    else:
        assert cache._spill is None
    cache.save()
    assert not list((tmp_path / "c").glob("**/pending-*"))  # the spill file has no name to leave behind
    again = Cache.open(tmp_path / "c", Settings().cache_key())
    for name, found in rows.items():
        hit = again.lookup(name, f"hash-{name}", "key")
        assert hit is not None and unpack_rows(hit.rows) == found and hit.summary == b"summary", name
    assert again.lookup("odd.sql", "hash-odd", "key") is None


def test_stored_rows_share_their_repeated_strings(tmp_path: Path) -> None:
    from dsql_lint.run.cache import Entry

    cache = Cache.open(tmp_path / "c", Settings().cache_key())
    rows = [[n, 1, n, 2, "DSQL101", "serial-type", "error", "".join(["m", "x"]), "h", "u", None, 0, 1] for n in (1, 2)]
    assert rows[0][7] is not rows[1][7]
    cache.store("a.sql", "hash-a", "key", Entry(rows, None))
    cache.save()
    stored = unpack_rows(cache._load_shard(shard_of("a.sql"))["a.sql"][2])
    assert stored == rows and stored[0][7] is stored[1][7]


def test_files_the_cache_has_no_entry_for_are_not_read_before_linting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run reads each file once, to lint it: the cache lookup does not read and hash it first."""
    import dsql_lint.run.parallel

    looked_up: list[str] = []
    real = dsql_lint.run.parallel._read_bytes_and_stat  # what the lookup reads a file with
    monkeypatch.setattr(
        dsql_lint.run.parallel, "_read_bytes_and_stat", lambda path: looked_up.append(path) or real(path)
    )
    folder = _folder(tmp_path)
    files = sorted(str(p) for p in folder.iterdir())
    first, cache, _ = _run(folder, tmp_path / "c")
    assert looked_up == [] and cache.misses == 2 and cache.hits == 0
    again, cache, _ = _run(folder, tmp_path / "c")
    assert sorted(looked_up) == files and cache.hits == 2
    assert _shape(again) == _shape(first)
    (folder / "one.sql").write_text(GOOD, encoding="utf-8")  # an entry for other content: read, then linted
    looked_up.clear()
    _, cache, _ = _run(folder, tmp_path / "c")
    assert sorted(looked_up) == files and cache.hits == 1 and cache.misses == 1


@pytest.mark.parametrize("spill_at", [0, 1 << 40])
def test_folder_findings_wait_for_save_in_pieces_and_read_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill_at: int
) -> None:
    """A streamed run stores the folder pass's findings a file at a time (the 10,000-file folder's were
    7 MB held to the end): past SPILL_AT the pieces wait in the spill file with the entries, the pack
    is written a piece at a time, and reading it back gives every row in order; a damaged pack, another
    list of files or another state of them is a miss."""
    import marshal

    import dsql_lint.run.cache as cache_module
    from dsql_lint.run.cache import Entry

    monkeypatch.setattr(cache_module, "SPILL_AT", spill_at)
    monkeypatch.setattr(cache_module, "SPILL_AGAIN_AT", spill_at)
    cache = Cache.open(tmp_path / "c", Settings().cache_key())
    pairs = [[f"f{n}.sql", [n, 1, n, 2, "DSQL116", "identity", "error", f"m{n}"]] for n in range(300)]
    pieces = cache.pieces()
    for n in range(0, 300, 7):
        pieces.append(marshal.dumps(pairs[n : n + 7]))
        cache.store(f"f{n}.sql", f"hash-{n}", "key", Entry([], b"summary"))
    assert bool(cache._spill) == (spill_at == 0)
    assert all(type(item) is int for item in pieces._items) == (spill_at == 0)  # offsets in the spill file
    cache.folder_store("a\x00b", "state-1", pieces)
    cache.folder_store("c", "state-2", [marshal.dumps(pairs[:2]), marshal.dumps([])])
    cache.save()
    again = Cache.open(tmp_path / "c", Settings().cache_key())
    assert again.folder_lookup("a\x00b", "state-1") == pairs
    assert again.folder_lookup("c", "state-2") == pairs[:2]
    assert again.folder_lookup("a\x00b", "state-2") is None
    assert again.folder_lookup("a", "state-1") is None
    pack = again._folder_path("a\x00b")
    blob = bytearray(pack.read_bytes())
    blob[-3] ^= 1
    pack.write_bytes(bytes(blob))
    assert again.folder_lookup("a\x00b", "state-1") is None


def test_the_first_spill_waits_for_spill_at_and_later_ones_for_spill_again_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that stores less than SPILL_AT makes no spill file; once there is one, entries move to it
    every SPILL_AGAIN_AT bytes."""
    import dsql_lint.run.cache as cache_module
    from dsql_lint.run.cache import Entry

    monkeypatch.setattr(cache_module, "SPILL_AT", 1000)
    monkeypatch.setattr(cache_module, "SPILL_AGAIN_AT", 100)
    cache = Cache.open(tmp_path / "c", Settings().cache_key())
    spilled_after = []
    for n in range(40):
        cache.store(f"f{n}.sql", "h", "key", Entry(None, b"s" * 40))
        if not any(cache._pending.values()):
            spilled_after.append(n)
    assert spilled_after[0] == 25  # 26 x 40 bytes > 1000
    assert all(b - a == 3 for a, b in itertools.pairwise(spilled_after))  # 3 x 40 bytes > 100
    cache.save()
    again = Cache.open(tmp_path / "c", Settings().cache_key())
    assert all(again.lookup(f"f{n}.sql", "h", "key") is not None for n in range(40))
