"""Replaying a repeated run: same bytes and exit code as a full run, and any changed input means a full run."""

from __future__ import annotations

import marshal
import os
import stat
import subprocess
import sys
import threading
import time
from hashlib import blake2b
from pathlib import Path

import pytest

from dsql_lint.cli import fastpath
from dsql_lint.run import signing
from dsql_lint.text import disk

BAD = "CREATE TABLE t (id serial PRIMARY KEY);\nCREATE INDEX i ON t (a DESC);\n"
GOOD = "CREATE TABLE u (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\n"
FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A stable code stamp (others edit dsql_lint meanwhile), no recording left armed, cwd in tmp_path."""
    import dsql_lint.rules.entrypoints

    monkeypatch.setattr(dsql_lint.rules.entrypoints, "_package_stamp", lambda: "test")
    monkeypatch.setattr(fastpath, "_PENDING", None)
    monkeypatch.setattr(disk, "TRACE", None)
    monkeypatch.delenv("DSQL_LINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)


def _age(path: Path, seconds: float = 60) -> None:
    """Make a file look as if it was last written a while ago (its change time stays now)."""
    old = time.time() - seconds
    os.utime(path, (old, old))


def _hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths fastpath hashes from now on, in order (it still hashes them)."""
    hashed: list[str] = []
    real = fastpath._hash_file

    def spy(path: str) -> str | None:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(fastpath, "_hash_file", spy)
    return hashed


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "V1__one.sql").write_text(BAD, encoding="utf-8")
    (folder / "V2__two.sql").write_text(GOOD + BAD, encoding="utf-8")
    (folder / "V3__clean.sql").write_text(GOOD, encoding="utf-8")
    return folder


def full(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, int]:
    """Run the command as ``dsql-lint`` does, in full (recording when it may); stdout and exit code."""
    capsys.readouterr()
    fastpath._PENDING = None
    disk.TRACE = None
    old = sys.argv
    sys.argv = ["dsql-lint", *argv]
    try:
        with pytest.raises(SystemExit) as exc:
            fastpath.main()
    finally:
        sys.argv = old
        fastpath._PENDING = None
        disk.TRACE = None
    code = exc.value.code
    return capsys.readouterr().out, int(code) if code is not None else 0


def replayed(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, int] | None:
    """The replay of ``argv``, or None when it would run in full."""
    capsys.readouterr()
    code = fastpath.run(argv)
    fastpath._PENDING = None
    disk.TRACE = None
    if code is None:
        return None
    return capsys.readouterr().out, code


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_replay_prints_exactly_what_a_cold_run_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    _folder(tmp_path)
    argv = ["check", "--format", fmt, "--cache-dir", "c", "db"]
    cold = full(["check", "--format", fmt, "--no-cache", "db"], capsys)
    first = full(argv, capsys)
    again = replayed(argv, capsys)
    assert cold[1] == 1 and cold[0]
    assert first == cold
    assert again == cold


def test_a_replay_keeps_the_text_excerpts_statistics_and_exit_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _folder(tmp_path)
    for extra in (["--statistics"], ["--exit-zero"], ["--fail-on", "error"], ["--select", "DSQL3", "--no-color"]):
        argv = ["check", *extra, "--cache-dir", "c", "db"]
        cold = full(["check", *extra, "--no-cache", "db"], capsys)
        assert full(argv, capsys) == cold
        assert replayed(argv, capsys) == cold, extra
    text = full(["check", "--no-cache", "db"], capsys)[0]
    assert "^" in text and " | CREATE INDEX" in text  # the excerpts are part of what is replayed


def test_a_clean_folder_replays_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ok.sql").write_text("SELECT 1;\n", encoding="utf-8")
    argv = ["check", "--cache-dir", "c", "ok.sql"]
    first = full(argv, capsys)
    assert first[1] == 0 and "All checks passed" in first[0]
    assert replayed(argv, capsys) == first


def test_the_record_lives_in_the_default_cache_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _folder(tmp_path)
    first = full(["check", "db"], capsys)
    assert list((tmp_path / ".dsql-lint-cache" / "runs").glob("*.run"))
    assert replayed(["check", "db"], capsys) == first


def _recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[str, int]:
    first = full(argv, capsys)
    assert replayed(argv, capsys) == first
    return first


def test_a_changed_file_is_linted_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db"]
    _recorded(tmp_path, capsys, argv)
    target = folder / "V3__clean.sql"
    before = target.stat()
    target.write_text(GOOD.replace("u (", "v ("), encoding="utf-8")  # same size
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time too
    assert target.stat().st_size == before.st_size
    assert replayed(argv, capsys) is None
    assert full(argv, capsys) == full(["check", "--no-cache", "db"], capsys)


def test_a_touched_but_unchanged_file_still_replays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db"]
    first = _recorded(tmp_path, capsys, argv)
    os.utime(folder / "V1__one.sql")  # the content hash decides, not the time
    assert replayed(argv, capsys) == first


def test_old_files_are_trusted_by_their_stat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db"]
    monkeypatch.setattr(fastpath, "RACY_NS", -(10**12))  # every file counts as changed long before the run
    first = _recorded(tmp_path, capsys, argv)
    hashed = _hashing(monkeypatch)
    assert replayed(argv, capsys) == first
    assert hashed == []
    (folder / "V1__one.sql").write_text(BAD + "\n", encoding="utf-8")  # a real change: the stat differs
    assert replayed(argv, capsys) is None


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_recording_does_not_read_again_an_old_file_it_just_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """The run read each file (in this process or a worker) and kept its stat: unchanged and old, it is trusted."""
    import dsql_lint.run.parallel

    folder = _folder(tmp_path)
    for n in range(30):  # enough files for the worker pool with --jobs 2
        (folder / f"V{10 + n}__more.sql").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(dsql_lint.run.parallel, "MIN_FILES_FOR_POOL", 2)
    monkeypatch.setattr(fastpath, "RACY_NS", -(10**12))  # every file counts as changed long before the run
    hashed = _hashing(monkeypatch)
    argv = ["check", "--cache-dir", "c", "--jobs", jobs, "db"]
    first = full(argv, capsys)
    assert not [p for p in hashed if p.endswith(".sql")]
    assert replayed(argv, capsys) == first
    (folder / "V1__one.sql").write_text(BAD + "\n", encoding="utf-8")
    assert replayed(argv, capsys) is None


def test_a_linted_file_that_changed_before_the_record_is_hashed_and_not_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fastpath, "RACY_NS", -(10**12))
    path = tmp_path / "V1__a.sql"
    path.write_text(BAD, encoding="utf-8")
    seen = fastpath.stat_key(os.lstat(path))
    known = fastpath._hash_file(str(path))
    started = time.time_ns()
    assert fastpath._dep(str(path), started, known, seen) == (str(path), seen, known, True)
    hashed = _hashing(monkeypatch)
    path.write_text(GOOD, encoding="utf-8")  # changed after the run read it
    assert fastpath._dep(str(path), started, known, seen) is None and hashed == [str(path)]


def test_files_changed_just_before_the_run_are_hashed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db"]
    first = _recorded(tmp_path, capsys, argv)
    hashed = _hashing(monkeypatch)
    assert replayed(argv, capsys) == first
    assert any(p.endswith("V1__one.sql") for p in hashed)


@pytest.mark.parametrize(
    "change",
    [
        "new_file",
        "removed_file",
        "new_folder_with_sql",
        "flyway_conf",
        "config_file",
        "pyproject",
    ],
)
def test_any_new_or_removed_input_means_a_full_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    folder = _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db"]
    _recorded(tmp_path, capsys, argv)
    if change == "new_file":
        (folder / "V4__more.sql").write_text(BAD, encoding="utf-8")
    elif change == "removed_file":
        (folder / "V1__one.sql").unlink()
    elif change == "new_folder_with_sql":
        (folder / "sub").mkdir()
        (folder / "sub" / "V9__x.sql").write_text(BAD, encoding="utf-8")
    elif change == "flyway_conf":
        (folder / "V2__two.sql.conf").write_text("executeInTransaction=false\n", encoding="utf-8")
    elif change == "config_file":
        (tmp_path / "dsql-lint.toml").write_text('ignore = ["DSQL301"]\n', encoding="utf-8")
    elif change == "pyproject":
        (tmp_path / "pyproject.toml").write_text('[tool.dsql-lint]\nignore = ["DSQL301"]\n', encoding="utf-8")
    assert replayed(argv, capsys) is None
    assert full(argv, capsys) == full(["check", "--no-cache", "db"], capsys)


def test_a_flyway_conf_added_to_a_folder_named_by_dot_means_a_full_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "V5__x.sql").write_text(BAD, encoding="utf-8")
    monkeypatch.chdir(folder)
    argv = ["check", "--cache-dir", "../c", "."]
    _recorded(tmp_path, capsys, argv)
    (folder / "sub" / "V5__x.sql.conf").write_text("executeInTransaction=false\n", encoding="utf-8")
    assert replayed(argv, capsys) is None


def test_a_change_inside_a_walked_subfolder_means_a_full_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "V5__x.sql").write_text(GOOD, encoding="utf-8")
    argv = ["check", "--cache-dir", "c", "db"]
    _recorded(tmp_path, capsys, argv)
    (folder / "sub" / "V6__y.sql").write_text(BAD, encoding="utf-8")
    assert replayed(argv, capsys) is None


def test_a_sqitch_plan_change_means_a_full_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file the run reads but does not lint is recorded only when it was written before the run began
    monkeypatch.setattr(fastpath, "RACY_NS", 0)
    project = tmp_path / "proj"
    (project / "deploy").mkdir(parents=True)
    (project / "deploy" / "a.sql").write_text(BAD, encoding="utf-8")
    (project / "deploy" / "b.sql").write_text(GOOD, encoding="utf-8")
    a, b = "a 2024-01-01T00:00:00Z x <x@y> # a\n", "b 2024-01-01T00:00:00Z x <x@y> # b\n"
    (project / "sqitch.plan").write_text(f"%project=p\n\n{a}{b}", encoding="utf-8")
    argv = ["check", "--cache-dir", "c", "proj"]
    _recorded(tmp_path, capsys, argv)
    (project / "sqitch.plan").write_text(f"%project=p\n\n{b}{a}", encoding="utf-8")  # same size, new order
    assert replayed(argv, capsys) is None


@pytest.mark.parametrize(
    "other",
    [
        ["check", "--cache-dir", "c", "--select", "DSQL3", "db"],
        ["check", "--cache-dir", "c", "--format", "json", "db"],
        ["check", "--cache-dir", "c", "--preset", "compat", "db"],
    ],
)
def test_other_settings_are_another_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], other: list[str]
) -> None:
    _folder(tmp_path)
    _recorded(tmp_path, capsys, ["check", "--cache-dir", "c", "db"])
    assert replayed(other, capsys) is None


def test_new_code_colour_or_environment_is_another_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dsql_lint.rules.entrypoints

    _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db"]
    _recorded(tmp_path, capsys, argv)
    monkeypatch.setenv("NO_COLOR", "1")
    assert replayed(argv, capsys) is None
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(dsql_lint.rules.entrypoints, "_package_stamp", lambda: "edited")
    assert replayed(argv, capsys) is None
    monkeypatch.setattr(dsql_lint.rules.entrypoints, "_package_stamp", lambda: "test")
    monkeypatch.chdir(tmp_path / "db")
    assert replayed(["check", "--cache-dir", "../c", "."], capsys) is None


def test_only_environment_variables_that_can_change_the_output_are_in_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = fastpath.invocation_key(["check", "db"])
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")
    monkeypatch.setenv("UNRELATED_SETTING", "x")
    assert fastpath.invocation_key(["check", "db"]) == key
    for name, value in (("PYTHONIOENCODING", "latin-1"), ("LC_ALL", "C"), ("DSQL_LINT_CACHE_DIR", "x")):
        monkeypatch.setenv(name, value)
        changed = fastpath.invocation_key(["check", "db"])
        assert changed != key, name
        key = changed


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--fix", "db"],
        ["check", "--diff", "db"],
        ["check", "--unsafe-fixes", "db"],
        ["check", "--add-noqa", "db"],
        ["check", "--no-cache", "db"],
        ["check", "--output-file", "out.txt", "db"],
        ["check", "--diff-base", "HEAD", "db"],
        ["check", "--live", "db"],
        ["check", "-"],
        ["check", "--stdin-filename", "x.sql", "db"],
        ["check", "--help"],
        ["check", "--form", "json", "db"],  # click would refuse an abbreviation: so must we
        ["check", "--", "db"],
        ["check", "--format"],
        ["rules"],
        ["--version"],
        [],
    ],
)
def test_only_plain_check_runs_are_replayed(argv: list[str]) -> None:
    assert fastpath.parse(argv) is None


def test_option_forms_that_click_accepts_are_understood() -> None:
    request = fastpath.parse(["check", "--format=json", "-j", "2", "--cache-dir", "x", "a", "--select", "-b", "c"])
    assert request is not None
    assert request.paths == ["a", "c"] and request.cache_dir == "x"


def test_nothing_is_recorded_for_files_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db", "missing.sql"]
    _, code = full(argv, capsys)
    assert code == 2
    assert replayed(argv, capsys) is None
    assert not list((tmp_path / "c").glob("runs/*.run"))


def test_a_configuration_file_written_just_before_the_run_is_not_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _folder(tmp_path)
    (tmp_path / "dsql-lint.toml").write_text('ignore = ["DSQL301"]\n', encoding="utf-8")
    argv = ["check", "--cache-dir", "c", "db"]
    assert full(argv, capsys)[1] == 1
    assert replayed(argv, capsys) is None  # it might have changed while the run read it


def test_nothing_is_recorded_for_a_symbolic_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    (folder / "V9__link.sql").symlink_to(folder / "V1__one.sql")
    argv = ["check", "--cache-dir", "c", "db"]
    first = full(argv, capsys)
    assert first[1] == 1
    assert replayed(argv, capsys) is None


@pytest.mark.parametrize(
    "damage", ["garbage", "truncated", "empty", "wrong_shape", "wrong_types", "other_key", "forged", "unsigned"]
)
def test_a_corrupted_record_is_a_full_run_that_records_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    _folder(tmp_path)
    argv = ["check", "--cache-dir", "c", "db"]
    first = _recorded(tmp_path, capsys, argv)
    (path,) = (tmp_path / "c" / "runs").glob("*.run")
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00\xffnot marshal" * 10)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "wrong_shape":
        path.write_bytes(_signed_record(b"", (fastpath.MAGIC, fastpath.FORMAT, "x")))
    elif damage == "wrong_types":
        output, header = _record(data)
        header[5] = ((1, 2, 3),)  # a folder entry that cannot be unpacked
        path.write_bytes(_signed_record(output, tuple(header)))
    elif damage == "other_key":
        output, header = _record(data)
        header[2] = "0" * 32
        path.write_bytes(_signed_record(output, tuple(header)))
    elif damage in ("forged", "unsigned"):
        # Someone else's writing: the output says all is well, the tag is recomputed with a key
        # that is not this user's (or the record is not signed at all).
        output, header = _record(data)
        output = b"All checks passed!\n"
        header[8], header[9] = 0, len(output)
        body = _body(output, tuple(header))
        tag = blake2b(body, digest_size=signing.TAG_BYTES, key=b"k" * 32).digest()
        path.write_bytes(body + (tag if damage == "forged" else b""))
    assert replayed(argv, capsys) is None
    assert full(argv, capsys) == first
    assert replayed(argv, capsys) == first


def _body(output: bytes, header: tuple[object, ...]) -> bytes:
    """A record without its tag: the output, the marshalled header and the header's length."""
    encoded = marshal.dumps(header)
    return output + encoded + len(encoded).to_bytes(8, "little")


def _signed_record(output: bytes, header: tuple[object, ...]) -> bytes:
    tag = signing.tag_of(_body(output, header))
    assert tag is not None
    return _body(output, header) + tag


def _record(data: bytes) -> tuple[bytes, list[object]]:
    """A record's output and header, after checking its tag."""
    body, tag = data[: -signing.TAG_BYTES], data[-signing.TAG_BYTES :]
    assert signing.tag_of(body) == tag
    length = int.from_bytes(body[-8:], "little")
    header = marshal.loads(body[-8 - length : -8])
    return body[: -8 - length], list(header)


def _spooled(folder: Path, name: str, output: str) -> None:
    """Write a run record named ``name`` into ``folder`` the way a run does."""
    spool = fastpath.Spool.open(open(os.devnull, "w"), str(folder.parent))  # noqa: SIM115
    assert spool is not None
    spool.write(output)
    spool.finish(marshal.dumps((fastpath.MAGIC, fastpath.FORMAT, output[:10])), name)


def test_concurrent_writers_leave_one_whole_record(tmp_path: Path) -> None:
    folder = tmp_path / "runs"
    outputs = [str(i) * 100_000 for i in range(8)]
    threads = [threading.Thread(target=_spooled, args=(folder, "k.run", o)) for o in outputs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    output, _ = _record((folder / "k.run").read_bytes())
    assert output.decode() in outputs
    assert [p.name for p in folder.iterdir()] == ["k.run"]  # no temporary file left behind


def test_a_record_that_cannot_be_written_is_dropped_and_the_report_still_goes_out(tmp_path: Path) -> None:
    import io

    out = io.StringIO()
    spool = fastpath.Spool.open(out, str(tmp_path))
    assert spool is not None

    class Full(io.BytesIO):
        def write(self, data: object) -> int:
            raise OSError(28, "No space left on device")

    spool._fh.close()
    spool._fh = Full()
    for part in ("first\n", "second\n", "third\n"):
        assert spool.write(part) == len(part)
    spool.finish(marshal.dumps((fastpath.MAGIC, fastpath.FORMAT)), "k.run")
    assert out.getvalue() == "first\nsecond\nthird\n"
    assert list((tmp_path / "runs").iterdir()) == []  # neither a record nor its temporary file


def test_only_the_most_recently_used_records_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "runs"
    for i in range(fastpath.KEEP_RECORDS + 5):
        _spooled(folder, f"{i:03}.run", "x")
        os.utime(folder / f"{i:03}.run", ns=(i * 10**9, i * 10**9))
    _spooled(folder, "new.run", "x")
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == fastpath.KEEP_RECORDS and "new.run" in kept and "000.run" not in kept


def test_an_unwritable_cache_folder_only_means_no_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _folder(tmp_path)
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    argv = ["check", "--cache-dir", "blocker/c", "db"]
    out, code = full(argv, capsys)
    assert code == 1 and out
    assert replayed(argv, capsys) is None


def test_the_config_chain_is_what_find_config_looks_at(tmp_path: Path) -> None:
    from dsql_lint.config.file import CONFIG_NAMES

    assert fastpath.CONFIG_NAMES == CONFIG_NAMES
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.sql").write_text(GOOD, encoding="utf-8")
    chain = fastpath.config_chain(["a/b/x.sql"], None)
    assert chain[:3] == tuple(str(tmp_path.resolve() / "a" / "b" / n) for n in CONFIG_NAMES)
    assert chain[-1] == "/pyproject.toml"
    assert fastpath.config_chain(["a/b"], None) == chain
    assert fastpath.config_chain(["-", "a/b"], None) == chain
    assert fastpath.config_chain([], "conf.toml") == (str(tmp_path.resolve() / "conf.toml"),)


def test_sqitch_candidates_mirror_the_plan(tmp_path: Path) -> None:
    from dsql_lint.migrations.plan import _sqitch_root_of

    deep = tmp_path / "p" / "deploy" / "x" / "y"
    deep.mkdir(parents=True)
    (tmp_path / "p" / "sqitch.plan").write_text("%project=p\n", encoding="utf-8")
    for folder in (deep, deep.parent, deep.parent.parent, tmp_path / "p"):
        _, _, candidates = fastpath.sqitch_candidates(str(folder))
        root = _sqitch_root_of(Path(folder).resolve())
        found = [c for c in candidates if os.path.isfile(c)]
        assert (root is not None) == bool(found)
        if root is not None:
            assert found[0] == str(root / "sqitch.plan")


def _here() -> dict[str, str]:
    """The environment for a child Python that imports this dsql_lint (not whatever the path finds first)."""
    root = str(Path(fastpath.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}


def test_the_replay_path_imports_neither_click_nor_the_model(tmp_path: Path) -> None:
    import subprocess

    folder = _folder(tmp_path)
    code = (
        "import sys\nimport dsql_lint.rules.entrypoints as e\ne._package_stamp = lambda: 'test'\n"
        "from dsql_lint.cli import fastpath\n"
        f"argv = ['check', '--cache-dir', {str(tmp_path / 'c')!r}, {str(folder)!r}]\n"
        "code = fastpath.run(argv)\n"
        "if code is None:\n"
        "    sys.argv = ['dsql-lint', *argv]\n"
        "    try:\n        fastpath.main()\n    except SystemExit:\n        pass\n"
        "print('REPLAYED', code is not None, 'click' in sys.modules, 'dsql_lint.model' in sys.modules)\n"
        "print('TYPING', 'typing' in sys.modules)\n"
    )
    env = {**_here(), "PYTHONIOENCODING": "utf-8"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, env=env) for _ in "12"]
    assert b"REPLAYED False False True" in runs[0].stdout, runs[0].stderr  # a plain check runs without click too
    assert b"REPLAYED True False False" in runs[1].stdout, runs[1].stderr
    assert b"TYPING False" in runs[1].stdout  # typing is about 5 ms to import: the replay never needs it
    # the replay writes the recorded bytes straight to standard output: the same bytes
    first, second = (r.stdout.split(b"REPLAYED")[0] for r in runs)
    assert first == second
    assert b"DSQL" in runs[1].stdout


def test_a_replay_writes_text_with_characters_beyond_ascii(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "V1__é.sql").write_text("-- café ☕\nCREATE INDEX ï ON t (a DESC);\n", encoding="utf-8")
    code = (
        "import sys\nimport dsql_lint.rules.entrypoints as e\ne._package_stamp = lambda: 'test'\n"
        "from dsql_lint.cli import fastpath\n"
        f"sys.argv = ['dsql-lint', 'check', '--cache-dir', {str(tmp_path / 'c')!r}, {str(folder)!r}]\n"
        "fastpath.main()\n"
    )
    for encoding in ("utf-8", "latin-1:replace"):
        env = {**_here(), "PYTHONIOENCODING": encoding}
        runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, env=env) for _ in "12"]
        assert runs[0].returncode == runs[1].returncode == 1
        assert runs[0].stdout == runs[1].stdout and runs[0].stdout, runs[1].stderr
    assert len(list((tmp_path / "c" / "runs").glob("*.run"))) == 2  # one record per output encoding


@pytest.mark.parametrize(
    ("encoding", "handler"),
    [("utf-8", "backslashreplace"), ("utf-8:surrogateescape", "surrogateescape"), ("latin-1", None)],
)
def test_a_replay_copies_the_recorded_bytes_when_standard_output_writes_them_the_same_way(
    tmp_path: Path, encoding: str, handler: str | None
) -> None:
    """A strict UTF-8 output (the command makes it ``backslashreplace``) and the C.UTF-8 locale's
    ``surrogateescape`` are recorded as the bytes they wrote, and replayed by copying them, even
    with a file name that is not UTF-8; another encoding is recorded as text."""
    import subprocess

    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "V1__é.sql").write_text("CREATE INDEX ï ON t (a DESC);\n", encoding="utf-8")
    (folder / os.fsdecode(b"V2__\xff.sql")).write_bytes(b"CREATE INDEX i ON t (a DESC);\n")  # not UTF-8
    code = (
        "import sys\nimport dsql_lint.rules.entrypoints as e\ne._package_stamp = lambda: 'test'\n"
        "from dsql_lint.cli import fastpath\n"
        f"sys.argv = ['dsql-lint', 'check', '--cache-dir', {str(tmp_path / 'c')!r}, {str(folder)!r}]\n"
        "fastpath.main()\n"
    )
    env = {**_here(), "PYTHONIOENCODING": encoding}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120, env=env) for _ in "12"]
    assert runs[0].returncode == runs[1].returncode == 1, runs[1].stderr
    assert runs[0].stdout == runs[1].stdout and b"V2__" in runs[0].stdout
    (record_file,) = (tmp_path / "c" / "runs").glob("*.run")
    loaded = fastpath.load(str(record_file))
    assert loaded is not None
    record, fh = loaded
    fh.close()
    assert record[7] == handler


def test_the_package_api_still_exports_its_names() -> None:
    import dsql_lint

    for name in dsql_lint.__all__:
        assert getattr(dsql_lint, name) is not None
    with pytest.raises(AttributeError):
        dsql_lint.NoSuchName  # noqa: B018


def test_entry_point_names_normalise_as_the_regular_expression_did() -> None:
    import re

    from dsql_lint.rules.entrypoints import RuleEntryPoint, _normalise

    for name in ("a-b", "A..B__c", "-x-", "zope.interface", "a-_.-b", "", "__", "Foo_Bar.baz-1"):
        assert _normalise(name) == re.sub(r"[-_.]+", "_", name).lower()
    one, same = RuleEntryPoint("a", "m:A", "d", "1"), RuleEntryPoint("a", "m:A", "d", "1")
    other = RuleEntryPoint("a", "m:B", "d", "1")
    assert one == same and hash(one) == hash(same) and one != other
    assert {one, same, other} == {one, other}


@pytest.mark.parametrize(
    ("pyproject", "configures"),
    [
        ('[project]\nname = "app"\ndependencies = ["dsql-linter"]\n[project.scripts]\nlint = "dsql-lint"\n', False),
        ('[project]\nname = "app"\n[tool.dsql-lint]\npreset = "compat"\n', True),
        ('[project]\nname = "app"\n', False),
    ],
)
def test_a_pyproject_that_only_mentions_dsql_lint_keeps_the_cache_where_the_run_puts_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pyproject: str,
    configures: bool,
) -> None:
    monkeypatch.setattr(fastpath, "RACY_NS", -(10**12))  # every file counts as changed long before the run
    folder = _folder(tmp_path)
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    work = tmp_path / "elsewhere"
    work.mkdir()
    monkeypatch.chdir(work)
    argv = ["check", str(folder)]
    first = full(argv, capsys)
    runs = (tmp_path if configures else work) / ".dsql-lint-cache" / "runs"
    assert len(list(runs.glob("*.run"))) == 1
    assert replayed(argv, capsys) == first


def test_temporary_files_are_new_private_and_unique(tmp_path: Path) -> None:
    made = set()
    for _ in range(20):
        fd, path = fastpath.create_temporary(str(tmp_path), ".tmp-", ".run")
        os.close(fd)
        assert os.path.isabs(path) and os.path.dirname(path) == str(tmp_path)
        name = os.path.basename(path)
        assert name.startswith(".tmp-") and name.endswith(".run")
        assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
        made.add(path)
    assert len(made) == 20


def test_a_run_that_writes_its_cache_and_record_does_not_import_tempfile(tmp_path: Path) -> None:
    _folder(tmp_path)
    code = (
        "import sys\n"
        "sys.argv = ['dsql-lint', 'check', '--cache-dir', 'c', 'db']\n"
        "from dsql_lint.cli.fastpath import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 1, exc.code\n"
        "print('LOADED', 'tempfile' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "LOADED False", out.stdout + out.stderr
    assert list((tmp_path / "c" / "runs").glob("*.run")) and list((tmp_path / "c").glob("v*/files-*.pack"))
