"""Bad input gets one clear sentence and a non-zero exit, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from tests.conftest import codes


def check(*args: str, stdin: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["check", *args], input=stdin)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "dump.sql"
    path.write_bytes(b"PGDMP\x00\x01\x02binary")
    result = check(str(path))
    assert result.exit_code == 2
    assert "looks like a binary file" in result.output and "Traceback" not in result.output
    # the summary never says "All checks passed!" for a run that could not lint a file
    assert "All checks passed" not in result.output
    assert "No problems found in 0 files. 1 file could not be linted (see the error above)." in result.output


def test_summary_counts_files_that_could_not_be_linted_beside_findings(tmp_path: Path) -> None:
    (tmp_path / "dump.sql").write_bytes(b"PGDMP\x00")
    (tmp_path / "bad.sql").write_text("TRUNCATE t;\n", encoding="utf-8")
    result = check("--no-cache", str(tmp_path / "dump.sql"), str(tmp_path / "bad.sql"))
    assert result.exit_code == 2
    assert "in 1 of 1 file. 1 file could not be linted (see the error above)." in result.output


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.sql"
    path.write_bytes("SELECT 'caf\xe9';".encode("latin-1"))
    result = check(str(path))
    assert result.exit_code == 2
    assert "not valid UTF-8 (byte 0xe9 at line 1)" in result.output


def test_invalid_utf8_on_stdin() -> None:
    result = check("-", stdin=b"SELECT '\xff';")
    assert result.exit_code == 2 and "not valid UTF-8" in result.output


def test_directory_given_as_a_file_is_searched_and_an_empty_one_is_fine(tmp_path: Path) -> None:
    result = check(str(tmp_path))
    assert result.exit_code == 0 and "No SQL files found under the given paths" in result.output


def test_unreadable_file(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can read files without permission bits; unreadable files cannot be simulated")
    path = tmp_path / "secret.sql"
    path.write_text("SELECT 1;")
    path.chmod(0)
    result = check(str(path))
    assert result.exit_code == 2 and "permission denied" in result.output


def test_permission_denied_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.sql"
    path.write_text("SELECT 1;")

    import os

    real_open = os.open

    def deny(file: str, *args: object, **kwargs: object) -> int:
        if os.fspath(file) == str(path):  # as the kernel answers a file without read permission (EACCES)
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    result = check(str(path))
    assert result.exit_code == 2 and f"{path}: cannot be read (permission denied)" in result.output


def test_huge_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dsql_lint.text.source

    monkeypatch.setattr(dsql_lint.text.source, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.sql"
    path.write_text("SELECT 1;\n" * 50)
    result = check(str(path))
    assert result.exit_code == 2 and "over the" in result.output


def test_empty_and_comment_only_files_are_clean(tmp_path: Path) -> None:
    (tmp_path / "empty.sql").write_text("")
    (tmp_path / "comments.sql").write_text("-- nothing yet\n/* todo */\n")
    result = check(str(tmp_path))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 'never closed",
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1;",
        'SELECT "open',
        "/* never closed",
        "SELECT E'\\",
        "(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((",
        ")))))))",
        "CREATE INDEX ON",
        "\\",
        "BEGIN ATOMIC END",
        "SELECT " + "(" * 3000 + "1" + ")" * 3000,
        "\ufeffSELECT 1;",
        "COPY t FROM stdin;\n1\t2\n",
    ],
)
def test_odd_input_never_crashes(sql: str) -> None:
    found = codes(sql)
    assert "DSQL000" not in found


@pytest.mark.parametrize("names", [["V1__a.sql", "V²__b.sql"], ["V1__a.sql", "V1.²__b.sql"], ["x1²y.sql", "x12.sql"]])
def test_superscript_digits_in_file_names_are_not_numbers(tmp_path: Path, names: list[str]) -> None:
    # str.isdigit() says "²" is a digit, int() refuses it: ordering and Flyway versions once crashed on it
    for name in names:
        (tmp_path / name).write_text("CREATE TABLE t (id uuid PRIMARY KEY);\n", encoding="utf-8")
    result = check("--no-cache", str(tmp_path))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    assert f"{len(names)} files checked" in result.output or "Found" in result.output


@pytest.mark.parametrize("extra_files", [0, 30])  # linted in this process, and in the worker pool
def test_a_flyway_conf_that_cannot_be_read_is_an_error_not_a_guess(tmp_path: Path, extra_files: int) -> None:
    # V2__b.sql.conf may say executeInTransaction=false; guessing Flyway's default would lint the
    # file under a transaction model the user turned off
    (tmp_path / "V1__a.sql").write_text("CREATE TABLE a (id uuid PRIMARY KEY);\n", encoding="utf-8")
    (tmp_path / "V2__b.sql").write_text("CREATE TABLE b (id uuid PRIMARY KEY);\n", encoding="utf-8")
    (tmp_path / "V2__b.sql.conf").mkdir()  # exists, cannot be read as a file (as root, permissions can't do this)
    for i in range(3, 3 + extra_files):
        (tmp_path / f"V{i}__x.sql").write_text(f"SELECT {i};\n", encoding="utf-8")
    result = check("--no-cache", "--jobs", "2", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "V2__b.sql.conf: cannot be read (Is a directory), and it says whether Flyway runs V2__b.sql" in result.output
    linted = f"{1 + extra_files} file{'s' if extra_files else ''}"
    assert f"No problems found in {linted}. 1 file could not be linted" in result.output


#: Script configurations Flyway itself refuses (it stops before running the script), and why.
REFUSED_CONFS = [
    (
        b"\x00\x01binary\xff",
        "V2__b.sql.conf: looks like a binary file (it contains NUL bytes), not Flyway's configuration of V2__b.sql",
    ),
    (
        b"executeInTransacton=false\n",
        "V2__b.sql.conf: sets an unknown property `executeInTransacton`: Flyway stops on it before running V2__b.sql",
    ),
    (b"flyway.executeInTransaction=false\n", "sets an unknown property `flyway.executeInTransaction`"),
    (b"# ok\nexecuteInTransaction=false\njunk\n\xe9t\xe9=1\n", "sets unknown properties `junk`, `\\ufffdt\\ufffd`"),
    (
        b"executeInTransaction=maybe\n",
        "V2__b.sql.conf: sets executeInTransaction to `maybe`: Flyway stops on it before running V2__b.sql "
        "(true or false)",
    ),
    (b"executeInTransaction\n", "sets executeInTransaction to `(empty)`"),
]  # fmt: skip


@pytest.mark.parametrize("extra_files", [0, 30])  # linted in this process, and in the worker pool
@pytest.mark.parametrize(("conf", "message"), REFUSED_CONFS)
def test_a_flyway_conf_that_flyway_refuses_is_an_error(
    tmp_path: Path, extra_files: int, conf: bytes, message: str
) -> None:
    (tmp_path / "V1__a.sql").write_text("CREATE TABLE a (id uuid PRIMARY KEY);\n", encoding="utf-8")
    (tmp_path / "V2__b.sql").write_text("CREATE TABLE b (id uuid PRIMARY KEY);\n", encoding="utf-8")
    (tmp_path / "V2__b.sql.conf").write_bytes(conf)
    for i in range(3, 3 + extra_files):
        (tmp_path / f"V{i}__x.sql").write_text(f"SELECT {i};\n", encoding="utf-8")
    result = check("--no-cache", "--jobs", "2", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert "1 file could not be linted" in result.output


@pytest.mark.parametrize(
    "conf",
    [
        b"executeInTransaction=false\n",
        b"  executeInTransaction : FALSE  \r\n# a comment\r\n! another\r\n\r\nencoding=UTF-8\r\n",
        b"placeholderReplacement=false\nexecuteInTransaction=true\nexecuteInTransaction \\\n  false\n",
    ],
)
def test_a_flyway_conf_flyway_accepts_sets_the_transaction_model(tmp_path: Path, conf: bytes) -> None:
    # two DDL statements in one Flyway file: one transaction (DSQL501) unless the .conf turns it off
    (tmp_path / "V1__a.sql").write_text(
        "CREATE TABLE a (id uuid PRIMARY KEY);\nCREATE TABLE b (id uuid PRIMARY KEY);\n", encoding="utf-8"
    )
    assert "DSQL501" in check("--no-cache", "--select", "DSQL501", str(tmp_path)).output
    (tmp_path / "V1__a.sql.conf").write_bytes(conf)
    result = check("--no-cache", "--select", "DSQL501", str(tmp_path))
    assert result.exit_code == 0, result.output


def test_an_error_about_a_file_named_with_a_newline_stays_on_one_line(tmp_path: Path) -> None:
    (tmp_path / "a\nb.sql").write_bytes(b"\xff\xfe\x00binary")
    result = check("--no-cache", str(tmp_path))
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {tmp_path}/a\\nb.sql: looks like a binary file (it contains NUL bytes), not SQL text"]
