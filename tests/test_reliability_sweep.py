"""The reliability sweep's findings: nothing a user wrote is lost, nothing is hidden, never a traceback.

Each test reproduces one finding as the sweep wrote it down and fails on the code before
the fix.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from dsql_lint.config.globs import _compile
from dsql_lint.fix.apply import NotRewritten, write_atomically

BAD_INDEX = "CREATE INDEX i ON t (a);\n"
PROGRAM = "import sys; from dsql_lint.cli.fastpath import main; sys.argv[0] = 'dsql-lint'; main()"


def _cli(*args: str, cwd: Path, stdin: bytes | None = None, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, *args], cwd=cwd, input=stdin, capture_output=True, check=False, **kwargs
    )  # type: ignore[call-overload, no-any-return]


# --------------------------------------------------------------------------- data loss


def test_add_noqa_under_a_file_size_limit_leaves_the_file_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.sql"
    text = "".join(f"CREATE INDEX i{n} ON t (a); -- some words to make the line longer\n" for n in range(300))
    big.write_text(text, encoding="utf-8")
    assert big.stat().st_size > 8192

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    done = _cli("check", "--no-cache", "--add-noqa", "big.sql", cwd=tmp_path, preexec_fn=limit)
    assert big.read_text(encoding="utf-8") == text  # all or nothing: the old text, whole
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"big.sql: cannot be written" in done.stderr
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".dsql-lint-fix")]


def test_add_noqa_on_a_read_only_file_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "ro.sql"
    path.write_text(BAD_INDEX, encoding="utf-8")
    path.chmod(0o444)
    done = _cli("check", "--no-cache", "--add-noqa", "ro.sql", cwd=tmp_path)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"ro.sql: cannot be written (it is read-only); it was left unchanged" in done.stderr
    assert path.read_text(encoding="utf-8") == BAD_INDEX


def test_fix_never_removes_the_statements_after_an_unclosed_parenthesis(tmp_path: Path) -> None:
    path = tmp_path / "a.sql"
    text = "CREATE TABLE t (s int) WITH (fillfactor = 40;\nCREATE TABLE u (id int PRIMARY KEY);\nSELECT 1;\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--fix", "--unsafe-fixes", str(path)])
    assert path.read_text(encoding="utf-8") == text
    assert result.exit_code == 1


def test_a_file_edited_while_it_is_fixed_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "a.sql"
    path.write_text("CREATE INDEX i ON t (a);\n", encoding="utf-8")
    linted = path.read_text(encoding="utf-8")
    path.write_text("CREATE INDEX i ON t (a);\n-- the user's new line\n", encoding="utf-8")
    with pytest.raises(NotRewritten, match="changed on disk"):
        write_atomically(path, b"CREATE INDEX ASYNC i ON t (a);\n", linted)
    assert "the user's new line" in path.read_text(encoding="utf-8")


def test_read_only_and_hard_linked_files_are_not_rewritten(tmp_path: Path) -> None:
    read_only = tmp_path / "ro.sql"
    read_only.write_text(BAD_INDEX, encoding="utf-8")
    read_only.chmod(0o444)
    linked = tmp_path / "linked.sql"
    linked.write_text(BAD_INDEX, encoding="utf-8")
    os.link(linked, tmp_path / "other-name.sql")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--fix", str(read_only), str(linked)])
    assert result.exit_code == 2
    assert "it is read-only" in result.output and "it has 2 hard links" in result.output
    assert read_only.read_text(encoding="utf-8") == linked.read_text(encoding="utf-8") == BAD_INDEX
    assert "Fixed 0 findings" in result.output


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_root_fixing_a_file_keeps_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "a.sql"
    path.write_text(BAD_INDEX, encoding="utf-8")
    os.chown(path, 4321, 4322)
    CliRunner().invoke(main, ["check", "--no-cache", "--fix", str(path)])
    assert "ASYNC" in path.read_text(encoding="utf-8")
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4322)


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.sql"
    path.write_text(BAD_INDEX, encoding="utf-8")
    monkeypatch.setattr(os, "fsync", lambda fd: os.kill(os.getpid(), signal.SIGTERM))
    with pytest.raises(KeyboardInterrupt):
        write_atomically(path, b"CREATE INDEX ASYNC i ON t (a);\n", BAD_INDEX)
    assert sorted(os.listdir(tmp_path)) == ["a.sql"] and path.read_text(encoding="utf-8") == BAD_INDEX
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_fix_on_stdin_that_is_not_utf8_gives_it_back_unchanged(tmp_path: Path) -> None:
    data = b"SELECT '\xff';\n"
    done = _cli("check", "--fix", "-", cwd=tmp_path, stdin=data)
    assert done.stdout == data and done.returncode == 2
    assert b"not valid UTF-8" in done.stderr


# --------------------------------------------------------------------------- tracebacks


def test_a_report_to_a_full_disk_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text(BAD_INDEX, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-c", PROGRAM, "check", "--no-cache", "a.sql"],
            cwd=tmp_path,
            stdout=full,
            stderr=subprocess.PIPE,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.decode().strip() == "error: cannot write the report: No space left on device"


def test_a_deeply_nested_toml_up_the_tree_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "dsql-lint.toml").write_text("a = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "a.sql").write_text(BAD_INDEX, encoding="utf-8")
    done = _cli("check", "--no-cache", "db/a.sql", cwd=tmp_path)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"dsql-lint.toml is nested too deeply to be read as TOML" in done.stderr


@pytest.mark.parametrize(
    ("glob", "name", "matches"),
    [("a[!]b", "a[!]b", True), ("a[!]b]", "ac", True), ("a[!]b]", "a]", False), ("x[^]", "x[^]", True)],
)
def test_globs_that_are_not_valid_regex_sets_never_raise(glob: str, name: str, matches: bool) -> None:
    assert (_compile(glob).match(name) is not None) is matches


def test_exclude_glob_with_an_empty_negated_set_is_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text(BAD_INDEX, encoding="utf-8")
    done = _cli("check", "--no-cache", "--exclude", "a[!]b", ".", cwd=tmp_path)
    assert done.returncode == 1 and b"Traceback" not in done.stderr


def test_no_process_can_be_forked_so_the_run_lints_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dsql_lint.run import parallel
    from dsql_lint.run.lint import lint_files, make_linter

    for n in range(parallel.MIN_FILES_FOR_POOL * 2):
        (tmp_path / f"{n:03}_a.sql").write_text(BAD_INDEX, encoding="utf-8")

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    result = lint_files([str(tmp_path)], make_linter(), jobs=2)
    assert len(result.diagnostics) == parallel.MIN_FILES_FOR_POOL * 2
    assert "the remaining files are linted in this process" in capsys.readouterr().err


def test_ctrl_c_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dsql_lint.cli import check_command, quickcheck

    def interrupted(**_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(check_command, "run_check", interrupted)
    with pytest.raises(SystemExit) as done:
        quickcheck.main(["check", str(tmp_path)])
    assert done.value.code == 130


# --------------------------------------------------------------------------- wrong or silent output


def test_odd_file_names_are_escaped_in_every_format(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    for raw in (b"\xff.sql", b"e\x1b[31mred.sql", b"\x08u.sql"):
        with open(os.path.join(folder, raw), "w", encoding="utf-8") as fh:
            fh.write(BAD_INDEX)
    for fmt in ("text", "concise", "json", "gitlab", "junit"):
        done = _cli("check", "--no-cache", "--format", fmt, ".", cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert b"\xff" not in done.stdout and b"\x1b" not in done.stdout and b"\x08" not in done.stdout, fmt
        if fmt == "junit":
            xml.dom.minidom.parseString(done.stdout)
        if fmt == "json":
            paths = {d["path"] for d in json.loads(done.stdout)["diagnostics"]}
            assert paths == {"\\xff.sql", "e\\x1b[31mred.sql", "\\x08u.sql"}


def test_a_folder_that_cannot_be_searched_is_reported(tmp_path: Path) -> None:
    deep = tmp_path / "db"
    deep.mkdir()
    here = os.open(deep, os.O_RDONLY)
    try:
        for _ in range(25):  # a path over PATH_MAX (4,096 bytes), made one step at a time
            name = "d" * 200
            os.mkdir(name, dir_fd=here)
            nxt = os.open(name, os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = nxt
        fd = os.open("x.sql", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=here)
        os.write(fd, BAD_INDEX.encode())
        os.close(fd)
    finally:
        os.close(here)
    done = _cli("check", "--no-cache", "db", cwd=tmp_path)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"cannot be read (File name too long)" in done.stderr or b"cannot be searched" in done.stderr


def test_utf16_files_are_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "u.sql").write_bytes("SELECT 1;\n".encode("utf-16"))
    result = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "u.sql")])
    assert result.exit_code == 2
    assert "is UTF-16 text; save it as UTF-8" in result.output


def test_a_parent_projects_configuration_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "dsql-lint.toml").write_text('exclude = ["db"]\n', encoding="utf-8")
    child = tmp_path / "child"
    (child / "db").mkdir(parents=True)
    (child / "db" / "a.sql").write_text(BAD_INDEX, encoding="utf-8")
    done = _cli("check", "--no-cache", "db", cwd=child)
    assert done.returncode == 0 and b"note: using the configuration in" in done.stderr  # said, at least
    (child / ".git").mkdir()
    done = _cli("check", "--no-cache", "db", cwd=child)
    assert done.returncode == 1 and b"DSQL301" in done.stdout
    assert not (tmp_path / ".dsql-lint-cache").exists()


def test_a_cache_folder_that_is_a_symbolic_link_is_never_written_through(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text(BAD_INDEX, encoding="utf-8")
    (tmp_path / ".dsql-lint-cache").symlink_to(".")
    done = _cli("check", "a.sql", cwd=tmp_path)
    assert done.returncode == 1
    assert sorted(os.listdir(tmp_path)) == [".dsql-lint-cache", "a.sql"]


def test_a_killed_worker_is_one_sentence_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dsql_lint.run import parallel

    for n in range(parallel.MIN_FILES_FOR_POOL * 2):
        (tmp_path / f"{n:03}_a.sql").write_text(BAD_INDEX, encoding="utf-8")
    real = parallel._work_row

    def dying(job: object) -> object:
        if job[0] == 3:  # type: ignore[index]
            os.kill(os.getpid(), signal.SIGKILL)
        return real(job)

    monkeypatch.setattr(parallel, "_work_row", dying)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "2", str(tmp_path)])
    assert result.exit_code == 2
    # The report is written as files finish (a streamed run): what came before is kept, and no
    # summary claims the run was whole.
    assert "ended before sending its results (signal 9); no complete report was written" in result.output
    assert "Found " not in result.output and "All checks passed" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for streamed in ("json", "sarif", "junit"):  # no closing part: a machine reading it sees it is cut
        cut = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "2", "--format", streamed, str(tmp_path)])
        assert cut.exit_code == 2
        assert "no complete report was written" in cut.output
        assert '"summary"' not in cut.stdout and "</testsuites>" not in cut.stdout and '"tool"' not in cut.stdout
    whole = CliRunner().invoke(main, ["check", "--no-cache", "--jobs", "2", "--diff", str(tmp_path)])
    assert whole.exit_code == 2  # (a diff needs the whole run first: nothing is written)
    assert "ended before sending its results (signal 9); nothing was reported" in whole.output


def _fix_examples() -> list[tuple[str, str]]:
    from dsql_lint.rules.docs import examples, page_path
    from dsql_lint.rules.registry import all_rules

    found = []
    for rule in all_rules():
        page = page_path(rule)
        if rule.fix_safety is None or page is None:
            continue
        found += [
            (rule.code, b.sql) for b in examples(page.read_text(encoding="utf-8")) if b.label in ("bad", "before")
        ]
    return found


def test_a_file_with_a_byte_order_mark_is_fixed_exactly_as_one_without(tmp_path: Path) -> None:
    """Item 5: every fix of every rule page, on a file that starts with a UTF-8 BOM, gives the BOM
    followed by exactly what the same fix gives without it (no space gained, none lost)."""
    from dsql_lint.config.settings import Settings
    from dsql_lint.fix.apply import analyser, encode_like, fix_source
    from dsql_lint.run.lint import make_linter
    from dsql_lint.text.source import decode

    analyse = analyser(make_linter(Settings(preset="all", ignore=["DSQL901"])))
    cases = _fix_examples()
    assert len(cases) > 40
    path = tmp_path / "bom.sql"
    changed = 0
    for code, sql in cases:
        plain = fix_source(decode("plain.sql", sql.encode("utf-8")), analyse, unsafe=True).source.text
        path.write_bytes(b"\xef\xbb\xbf" + sql.encode("utf-8"))
        with_bom = fix_source(decode(str(path), path.read_bytes()), analyse, unsafe=True).source.text
        assert encode_like(path, with_bom) == b"\xef\xbb\xbf" + plain.encode("utf-8"), code
        changed += plain != sql
    assert changed > 40


def test_removing_an_unused_noqa_keeps_the_words_after_it(tmp_path: Path) -> None:
    """Found by tests/test_sweep_fuzz.py: `-- noqa: DSQL101 SELECT 1;` lost its words to DSQL003's fix."""
    path = tmp_path / "n.sql"
    kept = "-- noqa: DSQL101 keep: the old id column\nSELECT 1;\n"
    path.write_text(kept + "SELECT 2; -- noqa: DSQL101\n", encoding="utf-8")
    done = _cli("check", "--no-cache", "--preset", "all", "--fix", str(path), cwd=tmp_path)
    assert done.returncode == 1, done.stdout  # the first one is still unused: reported, not fixed
    assert path.read_text(encoding="utf-8") == kept + "SELECT 2;\n"


def test_a_huge_statement_postgresql_rejects_is_not_given_to_sqlglot(monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 7: sqlglot's parse of a multi-megabyte invalid statement cost about 40 MB and 0.6 s per
    MB only to explain it; past SQLGLOT_LIMIT, PostgreSQL's own error is the finding."""
    import dsql_lint.frontend.script as script_module
    from tests.conftest import lint

    monkeypatch.setattr(script_module, "SQLGLOT_LIMIT", 10_000)
    asked: list[int] = []
    real = script_module._parse_with_sqlglot

    def counting(stmt, prefer_postgresql=False):  # type: ignore[no-untyped-def]
        asked.append(stmt.end - stmt.start)
        return real(stmt, prefer_postgresql)

    monkeypatch.setattr(script_module, "_parse_with_sqlglot", counting)
    big = "SELECT " + " ".join(f"a{i}" for i in range(3000)) + " FROM;\n"
    found = lint(big + "SELECT 1 FROM;\n", preset="compat")
    assert [d.code for d in found] == ["DSQL001", "DSQL001"]
    assert found[0].message.endswith('syntax error at or near "a2" (PostgreSQL 16)')
    assert found[0].column == 14  # at "a2" (a1 is a0's alias), as PostgreSQL says
    assert asked == [len("SELECT 1 FROM;")]  # only the small statement met sqlglot
