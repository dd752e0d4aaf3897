"""The packed per-file cache: a warm run with one file changed prints what a cold run prints, in
every format; concurrent runs keep each other's entries; older cache formats are cleaned up."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.settings import Settings
from dsql_lint.lint.engine import Linter
from dsql_lint.migrations.summary import Change, FileSummary, TxnSummary
from dsql_lint.run.cache import FORMAT, SHARDS, Cache, Entry, dump_pack, load_pack, pack, shard_of, unpack
from dsql_lint.run.lint import lint_files, make_linter

FORMATS = ["text", "concise", "json", "sarif", "github", "gitlab", "junit"]


@pytest.fixture(autouse=True)
def _stable_code_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other work may edit dsql_lint's files during a test; that must not look like a new version here."""
    import dsql_lint.rules.entrypoints

    monkeypatch.setattr(dsql_lint.rules.entrypoints, "_package_stamp", lambda: "test")


def _flyway(tmp_path: Path, files: int = 30) -> Path:
    """A Flyway folder with per-file findings, folder-rule findings (schema replay) and fixes."""
    folder = tmp_path / "db"
    folder.mkdir()
    for i in range(1, files + 1):
        body = [f"CREATE TABLE t{i} (id uuid PRIMARY KEY, a text, b int);"]
        if i % 3 == 0:
            body.append(f"CREATE INDEX i{i} ON t{i - 1} (a DESC);")
        if i % 4 == 0:
            body.append(f"UPDATE t{i - 2} SET a = 'x';")
        if i % 5 == 0:
            body.append(f"ALTER TABLE t{i - 3} ADD COLUMN c{i} serial;")
        if i % 7 == 0:
            body.append(f"DROP TABLE t{i - 5};")
        body.append(f"-- noqa comment free text {i}\tand a tab")
        (folder / f"V{i}__step_{i}.sql").write_text("\n".join(body) + "\n", encoding="utf-8")
    return folder


def _check(folder: Path, cache: Path, *options: str) -> tuple[str, int]:
    result = CliRunner().invoke(main, ["check", "--cache-dir", str(cache), "--jobs", "2", *options, str(folder)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output, result.exit_code


@pytest.mark.parametrize("options", [[f"--format={f}"] for f in FORMATS] + [["--statistics"], ["--preset=all"]])
def test_cold_warm_and_one_changed_runs_print_the_same_report(tmp_path: Path, options: list[str]) -> None:
    folder = _flyway(tmp_path)
    cache = tmp_path / "c"
    cold = _check(folder, cache, "--no-cache", *options)
    assert cold[1] == 1 and cold[0]
    assert _check(folder, cache, *options) == cold  # fills the cache (in a pool: 30 files)
    assert _check(folder, cache, *options) == cold  # every file from the cache, folder pass cached
    changed = next(folder.glob("V15__*.sql"))
    with changed.open("a", encoding="utf-8") as fh:
        fh.write("-- one more comment\n")
    cold_again = _check(folder, cache, "--no-cache", *options)
    assert _check(folder, cache, *options) == cold_again  # 29 hits, one file linted, folder pass again
    with changed.open("a", encoding="utf-8") as fh:
        fh.write("UPDATE t1 SET b = 2;\n")  # a real change: new findings in that file and the folder pass
    cold_third = _check(folder, cache, "--no-cache", *options)
    assert cold_third != cold_again
    assert _check(folder, cache, *options) == cold_third


def test_one_changed_file_is_the_only_miss(tmp_path: Path) -> None:
    folder = _flyway(tmp_path)
    settings = Settings(preset="all")

    def run() -> Cache:
        cache = Cache.open(tmp_path / "c", settings.cache_key())
        lint_files([str(folder)], make_linter(settings), cache=cache, jobs=1)
        return cache

    assert run().misses == 30
    assert run().hits == 30
    with next(folder.glob("V7__*.sql")).open("a", encoding="utf-8") as fh:
        fh.write("-- edited\n")
    third = run()
    assert (third.hits, third.misses) == (29, 1)
    assert len(list((tmp_path / "c").glob(f"v{FORMAT}-*/files-*.pack"))) <= SHARDS


def test_concurrent_writers_keep_each_other_s_entries(tmp_path: Path) -> None:
    settings_key = Settings().cache_key()
    paths = [f"/x/{n}.sql" for n in range(200)]
    one, two = Cache.open(tmp_path / "c", settings_key), Cache.open(tmp_path / "c", settings_key)
    for cache in (one, two):  # both read every shard before either writes
        for path in paths:
            assert cache.lookup(path, "h", "k") is None
    for path in paths[:100]:
        one.store(path, "h", "k", Entry([], None))
    for path in paths[100:]:
        two.store(path, "h", "k", Entry([], None))
    one.save()
    two.save()  # re-reads each shard under the lock before writing it: one's entries stay
    reader = Cache.open(tmp_path / "c", settings_key)
    assert all(reader.lookup(path, "h", "k") is not None for path in paths)


def test_concurrent_command_runs_agree_and_leave_a_complete_cache(tmp_path: Path) -> None:
    folder = _flyway(tmp_path, 40)
    cache = tmp_path / "c"
    cold = _check(folder, cache, "--no-cache")
    code = (
        "import sys\nimport dsql_lint.rules.entrypoints as e\ne._package_stamp = lambda: 'test'\n"
        "from dsql_lint.cli.app import main\n"
        f"sys.argv = ['dsql-lint', 'check', '--cache-dir', {str(cache)!r}, '--jobs', '1', {str(folder)!r}]\n"
        "main()\n"
    )
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [(run.communicate(timeout=300)[0], run.returncode) for run in runs]
    assert all(out == cold for out in outputs)
    from dsql_lint.cli.check_options import resolve_settings
    from dsql_lint.cli.speed_options import prepare

    _, settings = resolve_settings([str(folder)], None, None, preset=None, select=(), extend_select=(), ignore=())
    linter, check = prepare(settings, False, str(cache))  # the cache the command uses
    assert check is not None and check.known
    lint_files([str(folder)], linter, cache=check)
    assert (check.hits, check.misses) == (40, 0)


def test_summaries_round_trip_through_a_pack() -> None:
    summary = FileSummary(
        "V1__a.sql",
        [
            Change("create_table", 3, 9, 0, "t", "t", 0, [("id", "uuid"), ("a", "text")], frozenset({"x", "y"}), 1),
            Change("insert_values", 20, 26, -1, rows=5, line=3),
        ],
        [TxnSummary(0, "flyway", False, 0, 2)],
    )
    packed = marshal.loads(marshal.dumps(pack(summary)))
    assert unpack(FileSummary, packed) == summary
    with pytest.raises((TypeError, ValueError)):
        unpack(FileSummary, packed[:2])


def test_a_pack_is_checked_before_it_is_loaded() -> None:
    blob = dump_pack(("files", "fp", {"a": 1}))
    assert load_pack(blob) == ("files", "fp", {"a": 1})
    for damaged in (blob[:-1], blob[:5], blob[:20] + b"\x00" + blob[21:], b"x" + blob[1:]):
        with pytest.raises(ValueError):
            load_pack(damaged)


def test_paths_spread_over_the_shards() -> None:
    used = {shard_of(f"migrations/V{n}__x.sql") for n in range(500)}
    assert used == set(range(SHARDS))


def test_a_new_fingerprint_deletes_older_cache_formats(tmp_path: Path) -> None:
    folder = _flyway(tmp_path, 3)
    old = tmp_path / "c" / "v1-0123456789abcdef01234567"
    (old / "ab").mkdir(parents=True)
    (old / "ab" / "entry.json").write_text("{}", encoding="utf-8")
    _check(folder, tmp_path / "c")
    assert not old.exists()
    assert list((tmp_path / "c").glob(f"v{FORMAT}-*/files-*.pack"))


def test_the_cached_path_reads_files_as_read_path_bytes_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dsql_lint.run.parallel as parallel
    import dsql_lint.text.source as source
    from dsql_lint.cli.fastpath import stat_key
    from dsql_lint.text.source import SourceError, read_path_bytes

    (tmp_path / "a.sql").write_bytes(b"SELECT 1;\n")
    (tmp_path / "big.sql").write_bytes(b"x" * 100)
    (tmp_path / "dir.sql").mkdir()
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 50)  # the one limit, read where it is defined

    def outcome(read, path: Path):  # type: ignore[no-untyped-def]
        try:
            return read(path)
        except SourceError as exc:
            return (exc.path, exc.message)

    for name in ("a.sql", "big.sql", "dir.sql", "missing.sql"):
        path = tmp_path / name
        assert outcome(lambda p: parallel._read_bytes_and_stat(str(p))[0], path) == outcome(read_path_bytes, path)
    data, seen = parallel._read_bytes_and_stat(str(tmp_path / "a.sql"))
    assert data == b"SELECT 1;\n" and seen == stat_key(os.lstat(tmp_path / "a.sql"))


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_parked_cache_entries_give_what_held_ones_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Past PARK_AT the cached entries of files not given out yet (rows, bytes, summary) wait in a
    temporary file (the 10,000-file folder's were about 50 MB): every file parked, a run with every
    file cached and a run with one file changed print what a run without the cache prints."""
    import dsql_lint.run.parallel as parallel

    folder = _flyway(tmp_path)
    cache = tmp_path / "c"
    assert _check(folder, cache, f"--format={fmt}")[1] == 1  # fills the cache
    monkeypatch.setattr(parallel, "PARK_AT", 0)
    parked: list[object] = []
    real_park = parallel._Parking.park
    monkeypatch.setattr(parallel._Parking, "park", lambda self, *a: parked.append(real_park(self, *a)) or parked[-1])
    for step in ("all cached", "one changed"):
        if step == "one changed":
            with next(folder.glob("V15__*.sql")).open("a", encoding="utf-8") as fh:
                fh.write("UPDATE t1 SET b = 2;\n")
        for record in (cache / "runs").glob("*"):
            record.unlink()  # no replay of the run: the files come from the cache
        parked.clear()
        fresh = _check(folder, cache, "--no-cache", f"--format={fmt}")
        assert _check(folder, cache, f"--format={fmt}") == fresh, step
        assert len(parked) >= 29 and all(p is not None for p in parked), step


def test_cached_files_are_looked_up_one_shard_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run reads each shard once and lets it go before the next (all 16 at once were 38 MB for the
    10,000-file folder)."""
    folder = _flyway(tmp_path, files=60)
    cache_dir = tmp_path / "c"
    _check(folder, cache_dir)
    loads: list[tuple[int, int]] = []
    real = Cache._load_shard

    def load(self: Cache, shard: int) -> dict[str, object]:
        loads.append((shard, len(self._shards)))
        return real(self, shard)

    monkeypatch.setattr(Cache, "_load_shard", load)
    for record in (cache_dir / "runs").glob("*"):
        record.unlink()
    _check(folder, cache_dir)
    looked_up = [shard for shard, _ in loads]
    assert len(set(looked_up)) > 8
    assert sorted(looked_up) == looked_up and len(set(looked_up)) == len(looked_up)  # each once, in turn
    assert all(held == 0 for _, held in loads)  # the one before was let go


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_file_is_summarized_when_no_folder_rule_is_selected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """Only the folder rules read a file's summary: with none selected, no run summarizes a file
    (a fifth of a file's linting), and every run, cold, cached, parked and with one file changed,
    prints what a run without the cache prints. With a folder rule selected the files are summarized."""
    import dsql_lint.migrations
    import dsql_lint.run.parallel as parallel

    folder = _flyway(tmp_path)
    cache = tmp_path / "c"
    calls: list[str] = []
    real = dsql_lint.migrations.summarize

    def counted(script: object) -> object:
        calls.append("summarize")
        return real(script)  # type: ignore[arg-type]

    monkeypatch.setattr(dsql_lint.migrations, "summarize", counted)
    statement_rules = ["--select", "DSQL101,DSQL301,DSQL302", "--jobs", jobs]
    fresh = _check(folder, cache, "--no-cache", *statement_rules)
    assert fresh[1] == 1 and "DSQL301" in fresh[0] and "DSQL101" in fresh[0]
    assert _check(folder, cache, *statement_rules) == fresh  # cold: fills the cache
    monkeypatch.setattr(parallel, "PARK_AT", 0)
    built: list[str] = []
    real_build = Linter.build
    monkeypatch.setattr(
        Linter, "build", lambda self, source, *a: built.append(source.path) or real_build(self, source, *a)
    )
    for step, linted in (("all cached", 0), ("one changed", 1)):
        if step == "one changed":
            with next(folder.glob("V15__*.sql")).open("a", encoding="utf-8") as fh:
                fh.write("CREATE INDEX late ON t1 (a DESC);\n")
            fresh = _check(folder, cache, "--no-cache", *statement_rules)
        for record in (cache / "runs").glob("*"):
            record.unlink()  # no replay of the run: the files come from the cache
        built.clear()
        assert _check(folder, cache, *statement_rules) == fresh, step
        if jobs == "1":  # a cached file is not linted again (its entry holds no summary to read)
            assert len(built) == linted, step
    if jobs == "1":  # (a worker's calls are counted in the worker)
        assert calls == []
        _check(folder, cache, "--no-cache", "--select", "DSQL301,DSQL823", "--jobs", jobs)
        assert len(calls) == 30
