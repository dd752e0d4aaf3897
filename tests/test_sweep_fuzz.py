"""The reliability sweep's fuzzing, kept as bounded tests (issue 20): bad input, hostile
configuration and concurrent runs. CI runs them in this short form; raise ``SWEEP_EXAMPLES``
(environment) for a longer sweep.

Whatever the input, a run ends with exit 0, 1 or 2, never a traceback; a run that does not
fix leaves every file byte for byte as it was; concurrent runs sharing a cache folder print
what a lone run prints and leave a cache every later run can read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.cli.app import main

EXAMPLES = int(os.environ.get("SWEEP_EXAMPLES", "40"))

#: Pieces that have found bugs before: unclosed quotes and comments, CR line ends, BOMs,
#: psql meta lines, COPY data, dollar quotes, noqa comments, odd bytes.
FRAGMENTS = [
    "SELECT 1;",
    "CREATE TABLE t (id serial PRIMARY KEY);",
    "CREATE INDEX i ON t (a DESC);",
    "BEGIN;",
    "COMMIT;",
    "TRUNCATE t;",
    "SET statement_timeout = 0;",
    "ALTER TABLE t ADD COLUMN n SERIAL;",
    "CREATE TABLE t (s int) WITH (fillfactor = 40;",
    "-- noqa: DSQL101",
    "-- noqa",
    "/* open",
    "*/",
    "'",
    '"',
    "$$",
    "$x$ body $x$",
    "\\set x 1",
    "COPY t FROM stdin;\n1\t2\n\\.",
    "\r",
    "\r\n",
    "\n",
    "\ufeff",
    "\x0b",
    "\u2028",
    "é",
    "(",
    ")",
    ";",
    "E'\\",
    "-- migrate:up",
    "-- +goose Up",
    "--changeset a:1",
]

_FORMATS = ["text", "concise", "json", "sarif", "github", "gitlab", "junit"]


def _content() -> st.SearchStrategy[bytes]:
    text = st.lists(st.sampled_from(FRAGMENTS), max_size=12).map(" ".join).map(lambda s: s.encode("utf-8"))
    noise = st.binary(max_size=64)
    return st.one_of(text, noise, st.tuples(text, noise).map(lambda pair: pair[0] + pair[1]))


def _no_traceback(result: object) -> None:
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert getattr(result, "exit_code", None) in (0, 1, 2), getattr(result, "output", "")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    files=st.lists(_content(), min_size=1, max_size=3),
    output=st.sampled_from(_FORMATS),
    extra=st.sampled_from(
        [[], ["--preset", "all"], ["--diff"], ["--statistics"], ["--format-of-migrations", "flyway"]]
    ),
)
def test_bad_input_never_gives_a_traceback_and_a_check_changes_no_file(
    tmp_path_factory: pytest.TempPathFactory, files: list[bytes], output: str, extra: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    paths = []
    for n, data in enumerate(files):
        path = folder / f"V{n + 1}__f.sql"
        path.write_bytes(data)
        paths.append(path)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", output, *extra, str(folder)])
    _no_traceback(result)
    assert [p.read_bytes() for p in paths] == files


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_content(), mode=st.sampled_from([["--fix"], ["--fix", "--unsafe-fixes"], ["--add-noqa"]]))
def test_bad_input_through_fix_and_add_noqa_keeps_every_statement(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, mode: list[str]
) -> None:
    """A rewrite never drops text the fix did not mean to touch: what was not valid UTF-8 is left
    alone, and a rewritten file still holds at least its statements' separators."""
    folder = tmp_path_factory.mktemp("fuzzfix")
    path = folder / "f.sql"
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["check", "--no-cache", *mode, str(path)])
    _no_traceback(result)
    after = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert after == data  # a file dsql-lint cannot read is never written
        return
    assert after.count(b";") >= data.count(b";") - data.count(b"SET statement_timeout = 0;")


#: Values of the wrong type, out of range, or hostile, for every kind of configuration key.
_HOSTILE = st.sampled_from(
    [
        "1",
        "-1",
        "true",
        '"x"',
        '"a[!]b"',
        '"**/**/**/**/**/**/x"',
        "[]",
        '["DSQL101", 3]',
        "{}",
        '"' + "x" * 5000 + '"',
        '"\\u0000"',
        "1e999",
        "[[[[[[[[1]]]]]]]]",
    ]
)
_KEYS = st.sampled_from(
    [
        "preset",
        "select",
        "ignore",
        "extend-select",
        "exclude",
        "extend-exclude",
        "output-format",
        "migrations",
        "include-down",
        "assume-in-transaction",
        "aws-adapter",
        "per-file-ignores",
        "fail-on",
        "cache-dir",
        "jobs",
        "no-such-key",
    ]
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(_KEYS, _HOSTILE), min_size=1, max_size=3, unique_by=lambda e: e[0]))
def test_hostile_configuration_is_one_sentence_or_a_normal_run(
    tmp_path_factory: pytest.TempPathFactory, entries: list[tuple[str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("fuzzconf")
    (folder / "dsql-lint.toml").write_text("".join(f"{k} = {v}\n" for k, v in entries), encoding="utf-8")
    (folder / "a.sql").write_text("CREATE INDEX i ON t (a);\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-cache", str(folder)])
    _no_traceback(result)
    if result.exit_code == 2:
        assert "Traceback" not in result.output


def _check(folder: Path, cache: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dsql_lint", "check", "--cache-dir", str(cache), *extra, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_runs_share_a_cache_without_changing_any_report(tmp_path: Path) -> None:
    """Runs started together on one folder and one cache folder (pre-commit and an editor, two CI
    jobs on a shared cache): each prints what a lone run prints, and the cache they leave gives
    the same report again."""
    folder = tmp_path / "db"
    folder.mkdir()
    for n in range(30):
        body = f"CREATE TABLE t{n} (id serial PRIMARY KEY);\nCREATE INDEX i{n} ON t{n} (id DESC);\n"
        (folder / f"V{n + 1}__m.sql").write_text(body if n % 3 else "SELECT 1;\n", encoding="utf-8")
    alone = subprocess.run(
        [sys.executable, "-m", "dsql_lint", "check", "--no-cache", str(folder)], capture_output=True, text=True
    )
    assert alone.returncode == 1
    cache = tmp_path / "cache"
    for round_ in range(3):
        runs = [_check(folder, cache, "--jobs", str(1 + k % 2)) for k in range(4)]
        if round_ == 1:  # one file changes while the others run: later runs see it, none breaks
            (folder / "V2__m.sql").write_text("TRUNCATE t1;\n", encoding="utf-8")
        outputs = [run.communicate(timeout=300) for run in runs]
        for run, (out, err) in zip(runs, outputs, strict=True):
            assert run.returncode in (1,), err
            assert "Traceback" not in err
            if round_ != 1:
                expected = subprocess.run(
                    [sys.executable, "-m", "dsql_lint", "check", "--no-cache", str(folder)],
                    capture_output=True,
                    text=True,
                ).stdout
                assert out == expected
    again = _check(folder, cache)
    out, _ = again.communicate(timeout=300)
    lone = subprocess.run(
        [sys.executable, "-m", "dsql_lint", "check", "--no-cache", str(folder)], capture_output=True, text=True
    )
    assert out == lone.stdout


def test_concurrent_fixes_of_different_files_and_checks_of_the_folder(tmp_path: Path) -> None:
    """``--fix`` on two files while two checks read the whole folder: each fix lands, and no
    file ends up half written or with another file's text."""
    folder = tmp_path / "db"
    folder.mkdir()
    files = []
    for n in range(6):
        path = folder / f"f{n}.sql"
        path.write_text(f"CREATE INDEX i{n} ON t (a);\nSELECT {n};\n", encoding="utf-8")
        files.append(path)
    cache = tmp_path / "cache"
    runs = [
        _check(files[0], cache, "--fix"),
        _check(folder, cache),
        _check(files[1], cache, "--fix"),
        _check(folder, cache, "--format", "json"),
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode in (0, 1) and "Traceback" not in err, err
    for n, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        fixed = n < 2
        assert text == (
            f"CREATE INDEX ASYNC i{n} ON t (a);\nSELECT {n};\n"
            if fixed
            else f"CREATE INDEX i{n} ON t (a);\nSELECT {n};\n"
        )
