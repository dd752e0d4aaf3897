"""Odd folder layouts, file names, migration metadata and configuration never crash ``check``.

File contents are fuzzed elsewhere (test_bad_input.py, test_robustness_properties.py); this
file fuzzes everything around them: random trees of files and folders with unusual names
(unicode digits, dashes, dots, newlines, bytes that are not UTF-8, very long names), symbolic
links (to files, to folders, loops, dangling), FIFOs and sockets named ``*.sql``, migration
tools' names and side files (Flyway ``.conf``, ``sqitch.plan``, goose/dbmate/Liquibase
annotations), configuration files with wrong types, and every output format, then runs the real
command line. Whatever happens, the run ends with exit 0, 1 or 2, never a traceback, and exit 2
comes with a one-line ``error:`` message.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.cli.app import main

SQL = "CREATE TABLE t (id uuid PRIMARY KEY);\n"
FORMATS = ["text", "concise", "json", "sarif", "github", "gitlab", "junit"]
MIGRATION_FORMATS = ["auto", "flyway", "golang-migrate", "goose", "dbmate", "sqitch", "alembic", "django"]
MIGRATION_FORMATS += ["liquibase", "plain"]
SETTINGS: Any = settings(
    deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# -- running the command ------------------------------------------------------------------------


@contextlib.contextmanager
def _in(folder: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def _check(folder: Path, *args: str) -> Result:
    with _in(folder):
        return CliRunner().invoke(main, ["check", *args])


def assert_handled(result: Result, context: object = "") -> None:
    """Exit 0, 1 or 2, no traceback; exit 2 says what went wrong in an ``error:`` line."""
    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (context, output, result.exception)
    assert "Traceback" not in output, (context, output)
    assert result.exit_code in (0, 1, 2), (context, result.exit_code, output)
    if result.exit_code == 2:
        assert _error_lines(result.stderr), (context, output)


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("error: ", "Error: ")) and len(line) > 8]


# -- building trees --------------------------------------------------------------------------------

ODD_CHARS = "²³¹٣１Ⅻ½ßİé€ \t\n\\:-._$'\"*?[]{}#%&;=+,~`!@^()"
ODD_NAMES = [
    "-x.sql", "--x.sql", "..sql", ".sql", "V.sql", "V__x.sql", "V1..2__x.sql", "V1_2__x.sql", "V1.²__x.sql",
    "V²__x.sql", "V٣__x.sql", "V１__x.sql", "VⅫ__x.sql", "V½__x.sql", "V99999999999999999999999__x.sql",
    "U1__x.sql", "R__x.sql", "B1__x.sql", "V1__x.SQL", "v1__x.sql", "V1__.sql", "V1___x.sql", "V-1__x.sql",
    "V1__a b.sql", "V1__a\nb.sql", "V1__a\tb.sql", "V1__a\\b.sql", "V1__a:b.sql", "V1__" + "a" * 230 + ".sql",
    "1_a.up.sql", "1_a.down.sql", "x_.up.sql", ".up.sql", "99999999999999999999999_b.up.sql", "20200101_x.sql",
    "00001_x.sql", "0001_initial.py", "abc123_rev.py", "a.sql", " .sql", "x1²y.sql", "\u200b.sql", "ä.sql",
    "sqitch.plan", "deploy", "revert", "verify", "pyproject.toml", "dsql-lint.toml", ".dsql-lint.toml",
]  # fmt: skip
#: Names that are not valid UTF-8 (bytes 0x80-0xff alone), as str with surrogate escapes.
BYTE_NAMES = [os.fsdecode(b"V1__\xff.sql"), os.fsdecode(b"\xe9t\xe9.sql"), os.fsdecode(b"x\xc3(.sql")]

CONTENTS = [
    SQL,
    "",
    "SELECT 1;\n",
    "garbage (\n",
    "-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX ASYNC i ON t (id);\n-- +goose Down\nDROP INDEX i;\n",
    "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n-- +goose Down\n-- +goose ENVSUB ON\n",
    "-- migrate:up transaction:false\nCREATE INDEX ASYNC i ON t (id);\n-- migrate:down\nDROP INDEX i;\n",
    "-- migrate:up transaction:maybe\n-- migrate:down\n-- migrate:up\n",
    "--liquibase formatted sql\n--changeset a:1 runInTransaction:maybe splitStatements:xx endDelimiter:[\n"
    + SQL
    + "--rollback DROP TABLE t;\n--changeset :\n--changeset\nSELECT 1;\n",
    "--liquibase formatted sql\n--changeset é:² runInTransaction:false\nBEGIN;\n",
    "BEGIN;\n" + SQL + "COMMIT;\n",
    "executeInTransaction=false\n",
    "executeInTransaction = FALSE\nflyway.executeInTransaction=\n=\n\xff",
    "%syntax-version=1.0.0\n%project=x\n\na 2020-01-01T00:00:00Z u <u@x> # note\nb [a] 2020 u <u@x>\n@v1 2020\n",
    "%project=x\n\n\x00junk line\n[\n \nc [a b:c@x] 2020-13-45 é <>\n\u2028\n",
    '[tool.dsql-lint]\nselect = ["DSQL1"]\n',
    "[tool.dsql-lint]\nselect = 3\n",
    "select = 3\nexclude = ['[']\nper-file-ignores = {1 = 2}\n",
    'preset = "nope"\n[live]\nendpoint = 3\n',
    "[[[not toml",
    "from alembic import op\nrevision = 'a'\ndown_revision = None\ndef upgrade():\n    op.execute('SELECT 1')\n",
    "from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = []\n",
    "\xff\xfe\x00binary",
]
CONTENT = st.sampled_from(CONTENTS)


def name_strategy() -> st.SearchStrategy[str]:
    flyway = st.builds(
        lambda prefix, version, desc, ext: f"{prefix}{version}__{desc}{ext}",
        st.sampled_from(["V", "U", "R", "B", "v", ""]),
        st.text(alphabet="0123456789._²٣１Ⅻ½", max_size=8),
        st.text(alphabet="ab_ -é.", max_size=6),
        st.sampled_from([".sql", ".SQL", ".sql.conf", ".conf", ""]),
    )
    odd = st.builds(
        lambda stem, ext: stem + ext,
        st.text(alphabet=ODD_CHARS + "aV1_", min_size=1, max_size=12),
        st.sampled_from([".sql", ".SQL", ".sql.conf", ".up.sql", ".down.sql", ""]),
    )
    return st.one_of(st.sampled_from(ODD_NAMES), st.sampled_from(BYTE_NAMES), flyway, odd).filter(
        lambda n: n not in ("", ".", "..") and "/" not in n and "\x00" not in n
    )


#: One entry of a tree: (folder components, name, kind, content).
ENTRY = st.tuples(
    st.lists(st.sampled_from(["sub", "deploy", "revert", "verify", "db", "-d", "é", "a b", "²"]), max_size=3),
    name_strategy(),
    st.sampled_from(["file", "file", "file", "dir", "link", "dirlink", "loop", "dangling", "fifo", "socket", "device"]),
    CONTENT,
)


def _mk(path: str) -> None:
    os.makedirs(os.fsencode(path), exist_ok=True)


def build_tree(root: Path, entries: list[tuple[list[str], str, str, str]]) -> list[str]:
    """Create ``entries`` under ``root`` (skipping what the file system refuses); the created relative paths."""
    made: list[str] = []
    for folders, name, kind, content in entries:
        rel = os.path.join(*folders, name) if folders else name
        full = os.path.join(os.fspath(root), rel)
        try:
            _mk(os.path.dirname(full))
            if os.path.lexists(os.fsencode(full)):
                continue
            if kind == "file":
                with open(os.fsencode(full), "wb") as fh:
                    fh.write(content.encode("utf-8", "surrogateescape"))
            elif kind == "dir":
                _mk(full)
            elif kind == "link":
                os.symlink(made[-1] if made else "nowhere.sql", os.fsencode(full))
            elif kind == "dirlink":
                os.symlink(".", os.fsencode(full))  # its own folder: ".." could leave the tree (and lint /tmp)
            elif kind == "loop":
                os.symlink(name, os.fsencode(full))
            elif kind == "dangling":
                os.symlink("missing/" + name, os.fsencode(full))
            elif kind == "fifo":
                os.mkfifo(os.fsencode(full))
            elif kind == "socket":
                with _in(Path(os.path.dirname(full))):
                    sock = socket.socket(socket.AF_UNIX)
                    sock.bind(os.fsencode(name))
                    sock.close()
            elif kind == "device":
                os.symlink("/dev/zero", os.fsencode(full))
        except (OSError, ValueError):
            continue
        made.append(rel)
    return made


def _free(path: Path) -> None:
    """Remove whatever :func:`build_tree` made at ``path`` (a folder, a FIFO, a link ...)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()


def options_strategy(made: list[str]) -> st.SearchStrategy[list[str]]:
    paths = st.lists(st.sampled_from([".", *made]) if made else st.just("."), min_size=1, max_size=3)
    extra = st.lists(
        st.sampled_from(
            [
                ["--include-down"],
                ["--no-cache"],
                ["--statistics"],
                ["--exit-zero"],
                ["--assume-in-transaction"],
                ["--format-of-migrations", "flyway"],
                ["--format-of-migrations", "sqitch"],
                ["--format-of-migrations", "goose"],
                ["--format-of-migrations", "liquibase"],
                ["--select", "ALL"],
                ["--exclude", "["],
                ["--extend-exclude", "**/é*"],
                ["--force-exclude"],
            ]
        ),
        max_size=4,
    )
    fmt = st.sampled_from(FORMATS)
    return st.builds(lambda p, e, f: ["--format", f, *[a for opt in e for a in opt], "--", *p], paths, extra, fmt)


@pytest.fixture(autouse=True)
def _no_replay_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DSQL_LINT_CACHE_DIR", raising=False)


@SETTINGS
@given(entries=st.lists(ENTRY, min_size=1, max_size=10), data=st.data())
def test_random_trees_never_crash(entries: list[tuple[list[str], str, str, str]], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        made = build_tree(root, entries)
        args = data.draw(options_strategy(made))
        result = _check(root, "--cache-dir", os.path.join(tmp, ".cache"), *args)
        assert_handled(result, (entries, args))


@SETTINGS
@given(
    entries=st.lists(ENTRY, max_size=6),
    config_name=st.sampled_from(["pyproject.toml", "dsql-lint.toml", ".dsql-lint.toml"]),
    config=st.one_of(
        CONTENT,
        st.builds(
            lambda key, value: f"[tool.dsql-lint]\n{key} = {value}\n",
            st.sampled_from(
                [
                    "select",
                    "ignore",
                    "extend-select",
                    "exclude",
                    "extend-exclude",
                    "per-file-ignores",
                    "preset",
                    "output-format",
                    "fail-on",
                    "migrations",
                    "include-down",
                    "live",
                    "unknown-key",
                    "target-version",
                    "cache-dir",
                    "jobs",
                    "assume-in-transaction",
                    "force-exclude",
                    "é",
                ]
            ),
            st.sampled_from(
                [
                    "3",
                    '"x"',
                    '["["]',
                    "[1, 2]",
                    '{ "*.sql" = ["DSQL1"] }',
                    "{ 1 = 2 }",
                    '{ "[" = "DSQL1" }',
                    "true",
                    '"[!"',
                    "[]",
                    "{}",
                    "-1",
                    "1e400",
                    '"é"',
                    "{ endpoint = 3 }",
                    '"ALL"',
                    '["ALL", 3]',
                ]
            ),
        ),
    ),
    explicit=st.booleans(),
    fmt=st.sampled_from(FORMATS),
)
def test_random_configuration_never_crashes(
    entries: list[tuple[list[str], str, str, str]], config_name: str, config: str, explicit: bool, fmt: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_tree(root, entries)
        for name in (config_name, "V1__a.sql"):  # a random entry may hold the name: a FIFO would block the write
            _free(root / name)
        (root / config_name).write_bytes(config.encode("utf-8", "surrogateescape"))
        (root / "V1__a.sql").write_text(SQL, encoding="utf-8")
        args = ["--config", config_name] if explicit else []
        result = _check(root, "--no-cache", "--format", fmt, *args, ".")
        assert_handled(result, (config_name, config, entries))


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=st.lists(ENTRY, min_size=1, max_size=8),
    forced=st.sampled_from(MIGRATION_FORMATS),
    include_down=st.booleans(),
)
def test_forced_migration_formats_on_other_layouts(
    entries: list[tuple[list[str], str, str, str]], forced: str, include_down: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_tree(root, entries)
        args = ["--include-down"] if include_down else []
        result = _check(root, "--no-cache", "--format-of-migrations", forced, *args, ".")
        assert_handled(result, (entries, forced))


# -- concrete cases that once crashed or hung -------------------------------------------------------


def _fifo(root: Path) -> None:
    (root / "V1__a.sql").write_text(SQL, encoding="utf-8")
    os.mkfifo(root / "V2__b.sql")


def _fifo_conf(root: Path) -> None:
    (root / "V1__a.sql").write_text(SQL, encoding="utf-8")
    os.mkfifo(root / "V1__a.sql.conf")


def _symlink_loop(root: Path) -> None:
    (root / "V1__a.sql").write_text(SQL, encoding="utf-8")
    os.symlink("V2__b.sql", root / "V2__b.sql")


def _device(root: Path) -> None:
    os.symlink("/dev/zero", root / "zero.sql")


CRASHERS = {
    # a FIFO named *.sql in a folder: opening it waited forever for a writer
    "fifo": (_fifo, ["."], 0),
    # a FIFO beside a Flyway script as its .conf: the same wait
    "fifo-conf": (_fifo_conf, ["."], 0),
    # a file that is a symbolic link to itself: Path.resolve raised RuntimeError (traceback)
    "symlink-loop": (_symlink_loop, ["."], 2),
    # the same loop named on the command line: the configuration search resolved it (RuntimeError)
    "symlink-loop-named": (_symlink_loop, ["V2__b.sql"], 2),
    # x.sql linked to /dev/zero: read until memory ran out
    "device": (_device, ["."], 2),
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_concrete_crashers(tmp_path: Path, name: str) -> None:
    make, args, expected = CRASHERS[name]
    make(tmp_path)
    result = _check(tmp_path, "--no-cache", *args)
    assert_handled(result, name)
    assert result.exit_code == expected, result.output


def test_output_file_in_a_missing_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.sql").write_text(SQL, encoding="utf-8")
    result = _check(tmp_path, "--no-cache", "--output-file", str(tmp_path / "missing" / "r.json"), "a.sql")
    assert_handled(result)
    assert result.exit_code == 2
    assert "cannot write the report to" in result.stderr and "No such file or directory" in result.stderr


def test_a_pipe_given_as_a_path_is_linted_whole(tmp_path: Path) -> None:
    # dsql-lint check <(...): format detection once read (and lost) the pipe's bytes before linting
    read, write = os.pipe()
    os.write(write, b"garbage x;\n")
    os.close(write)
    try:
        result = _check(tmp_path, "--no-cache", f"/dev/fd/{read}")
    finally:
        os.close(read)
    assert_handled(result)
    assert result.exit_code == 1 and "DSQL001" in result.output, result.output


# -- the console entry point, in a subprocess --------------------------------------------------------


def _console(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    code = "import sys; from dsql_lint.cli.fastpath import main; sys.argv[0] = 'dsql-lint'; main()"
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", code, "check", *args], cwd=folder, capture_output=True, timeout=60, env=full_env
    )


def _assert_console_handled(done: subprocess.CompletedProcess[bytes]) -> None:
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out + err, out + err
    assert done.returncode in (0, 1, 2), (done.returncode, out, err)
    if done.returncode == 2:
        assert _error_lines(err), err


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("env", [{}, {"PYTHONIOENCODING": "ascii", "LANG": "C", "LC_ALL": "C"}])
def test_names_that_are_not_utf8_print_in_any_encoding(tmp_path: Path, fmt: str, env: dict[str, str]) -> None:
    for raw in (b"V1__\xff.sql", b"V2__caf\xc3\xa9.sql", b"V3__\xe9\xe9.sql"):
        with open(os.path.join(os.fsencode(tmp_path), raw), "wb") as fh:
            fh.write(b"garbage x;\n")
    with open(os.path.join(os.fsencode(tmp_path), b"V4__\xfe.sql"), "wb") as fh:
        fh.write(b"SELECT '\xff';\n")  # not UTF-8 inside either: an error line naming the file
    done = _console(tmp_path, "--no-cache", "--format", fmt, ".", env=env)
    _assert_console_handled(done)
    assert done.returncode == 2


@pytest.mark.parametrize(
    "case",
    ["fifo", "symlink-loop", "dash-name", "output-missing", "config-folder", "config-binary", "config-missing"],
)
def test_console_entry_point(tmp_path: Path, case: str) -> None:
    (tmp_path / "V1__a.sql").write_text(SQL, encoding="utf-8")
    args: list[str] = ["."]
    if case == "fifo":
        os.mkfifo(tmp_path / "V2__b.sql")
    elif case == "symlink-loop":
        os.symlink("V2__b.sql", tmp_path / "V2__b.sql")
    elif case == "dash-name":
        (tmp_path / "-x.sql").write_text(SQL, encoding="utf-8")
        args = ["-x.sql"]
    elif case == "output-missing":
        args = ["--output-file", "missing/report.json", "."]
    elif case == "config-folder":
        args = ["--config", ".", "."]
    elif case == "config-binary":
        (tmp_path / "conf.toml").write_bytes(b"\xff\xfe\x00\x01")
        args = ["--config", "conf.toml", "."]
    elif case == "config-missing":
        args = ["--config", "missing.toml", "."]
    _assert_console_handled(_console(tmp_path, "--no-cache", *args))
