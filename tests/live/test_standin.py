"""The DSQL stand-in (tests/live/dsql_standin.py) behaves as facts.md records, and live mode copes
with it: one DDL per transaction, no DDL with DML, ASYNC jobs, DSQL's refusals, no pg_proc, OC001
after another session's DDL, and DDL that a rollback does not undo."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dsql_lint.live import runner as runner_module
from tests.live import dsql_standin as standin
from tests.live.conftest import REGION, SECRET_KEY, SESSION_TOKEN, live_options, pg_query
from tests.live.test_live_check import _args, live, run_check

pytestmark = pytest.mark.live


@pytest.fixture
def client(aws_env: Any, door: Any, pki: Any) -> Iterator[Any]:
    """A psycopg connection through the stand-in, authenticated as live mode would be."""
    yield _connect(door, pki)


def _connect(door: Any, pki: Any) -> Any:
    """A connection made the way live mode makes its own (token, TLS, autocommit)."""
    from dsql_lint.live.auth import TokenSource
    from dsql_lint.live.config import LiveConfig
    from dsql_lint.live.connect import open_connection

    cfg = LiveConfig(**{**live_options(door, pki), "region": REGION, "user": "admin"})
    return open_connection(cfg, TokenSource(cfg))


def _sent(door: Any) -> str:
    """Every statement text the stand-in's backend was sent, upper-cased."""
    return "\n".join(door.dsql.received).upper()


def _error(conn: Any, *statements: str) -> Any:
    import psycopg

    with pytest.raises(psycopg.Error) as info:
        for sql in statements:
            conn.execute(sql)
    conn.rollback() if not conn.autocommit else None
    return info.value


def test_the_backend_is_postgresql_16(client: Any) -> None:
    version = client.execute("SHOW server_version_num").fetchone()[0]
    if int(version) < 160000:
        pytest.skip(f"PostgreSQL {version} from the machine: install the test extras (pgserver) for 16")
    assert int(version) // 10000 == 16


def test_one_ddl_per_transaction_and_no_ddl_with_dml(client: Any) -> None:
    client.execute("BEGIN")
    client.execute("CREATE TABLE public.st_a (id uuid PRIMARY KEY)")
    error = _error(client, "CREATE TABLE public.st_b (id uuid PRIMARY KEY)")
    assert error.sqlstate == "0A000" and error.diag.message_primary == standin.MULTIPLE_DDL
    client.execute("ROLLBACK")
    client.execute("BEGIN")
    client.execute("INSERT INTO public.owner (name, city) VALUES ('a', 'b')")
    error = _error(client, "CREATE TABLE public.st_c (id uuid PRIMARY KEY)")
    assert error.diag.message_primary == standin.DDL_AND_DML
    client.execute("ROLLBACK")
    # A multi-statement simple query is one implicit transaction: the same rule.
    error = _error(client, "CREATE TABLE public.st_d (id uuid PRIMARY KEY); CREATE TABLE public.st_e (id int)")
    assert error.diag.message_primary == standin.MULTIPLE_DDL
    # Bare DDL in autocommit is fine, one after the other.
    client.execute("CREATE TABLE public.st_f (id uuid PRIMARY KEY)")
    client.execute("DROP TABLE public.st_f")


def test_async_ddl_answers_a_job_id_and_a_sys_jobs_row(client: Any) -> None:
    client.execute("CREATE TABLE public.st_j (id uuid PRIMARY KEY, v int)")
    try:
        (job,) = client.execute("CREATE INDEX ASYNC st_j_v ON public.st_j (v)").fetchone()
        assert re.fullmatch(r"[a-z2-7]{26}", job)
        assert client.execute("SELECT status FROM sys.jobs WHERE job_id = %s", (job,)).fetchone() == ("completed",)
        assert client.execute("CALL sys.wait_for_job(%s)", (job,)).fetchone() == (True,)
        client.execute("ALTER TABLE public.st_j ADD CONSTRAINT st_j_v CHECK (v > 0) NOT VALID")
        (job2,) = client.execute("ALTER TABLE ASYNC public.st_j VALIDATE CONSTRAINT st_j_v").fetchone()
        assert re.fullmatch(r"[a-z2-7]{26}", job2) and job2 != job
        client.execute("BEGIN")  # the job id comes back inside a transaction block too
        assert client.execute("CREATE UNIQUE INDEX ASYNC st_j_u ON public.st_j (v)").fetchone()
        client.execute("ROLLBACK")
    finally:
        client.execute("DROP TABLE public.st_j")


@pytest.mark.parametrize(
    ("sql", "text"),
    [
        ("TRUNCATE public.owner", "unsupported statement: Truncate"),
        ("CREATE INDEX st_i ON public.owner (name)", "unsupported mode. please use CREATE INDEX ASYNC."),
        ("CREATE INDEX CONCURRENTLY st_i ON public.owner (name)", "CONCURRENTLY not supported for CREATE INDEX"),
        ("LOCK TABLE public.owner", "unsupported statement: Lock"),
        ("CREATE EXTENSION IF NOT EXISTS pg_trgm", "unsupported statement: CreateExtension"),
        ("VACUUM public.owner", "unsupported VACUUM statement"),
        ("CREATE TYPE st_mood AS ENUM ('a')", "CREATE TYPE not supported"),
        ("CREATE TABLE public.st_t AS SELECT 1 AS x", "unsupported statement: CreateTableAs"),
        (
            "ALTER TABLE public.owner ADD CONSTRAINT st_c CHECK (name <> '')",
            "unsupported ALTER TABLE ADD CONSTRAINT statement",
        ),
        ("ALTER TABLE public.owner VALIDATE CONSTRAINT st_c", "unsupported ALTER TABLE VALIDATE CONSTRAINT statement"),
        ("LISTEN st_channel", "unsupported statement: Listen"),
        ("SELECT proname FROM pg_catalog.pg_proc", "pg_proc is not available"),
    ],
)
def test_dsql_refusals_carry_dsql_s_texts(client: Any, sql: str, text: str) -> None:
    error = _error(client, sql)
    assert error.sqlstate == "0A000" and error.diag.message_primary.startswith(text)


def test_savepoints_are_refused(client: Any) -> None:
    client.execute("BEGIN")
    error = _error(client, "SAVEPOINT s1")
    assert error.diag.message_primary == "unsupported transaction statement: SAVEPOINT"
    client.execute("ROLLBACK")


def test_another_session_s_ddl_makes_the_next_statement_fail_with_oc001_once(
    aws_env: Any, make_door: Any, pki: Any
) -> None:
    door = make_door()
    door.dsql.stale_catalog = True
    mine, theirs = _connect(door, pki), _connect(door, pki)
    assert mine.execute("SELECT 1").fetchone() == (1,)
    theirs.execute("CREATE TABLE public.st_o (id uuid PRIMARY KEY)")
    try:
        error = _error(mine, "SELECT 1")
        assert error.sqlstate == "40001" and "(OC001)" in error.diag.message_primary
        assert mine.execute("SELECT 1").fetchone() == (1,)  # the retry sees the new catalog
        assert theirs.execute("SELECT 1").fetchone() == (1,)  # its own DDL never makes it stale
    finally:
        theirs.execute("DROP TABLE public.st_o")


def test_ddl_that_does_not_roll_back(aws_env: Any, make_door: Any, pki: Any, pg: Any) -> None:
    door = make_door()
    door.dsql.ddl_rolls_back = False
    conn = _connect(door, pki)
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE public.st_kept (id uuid PRIMARY KEY)")
    conn.execute("ROLLBACK")
    try:
        assert pg_query(pg, "SELECT to_regclass('public.st_kept') IS NOT NULL") == [(True,)]
    finally:
        pg_query(pg, "DROP TABLE IF EXISTS public.st_kept")


# -- live mode against the stand-in -----------------------------------------------------------


def test_live_mode_finds_dsql_s_refusals_that_postgresql_accepts(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path, pg: Any
) -> None:
    """PostgreSQL runs CREATE INDEX without ASYNC; the stand-in answers as DSQL does. The static
    rule already flags it; what matters is that live mode reports DSQL's own words."""
    sql = "CREATE INDEX owner_name ON public.owner (name);\nCREATE INDEX ASYNC owner_city ON public.owner (city);\n"
    jobs = pg_query(pg, "SELECT count(*) FROM sys.jobs")
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki))
    assert code == 1, err
    found = live(diags)
    assert [(d["code"], d["line"]) for d in found] == [("DSQL010", 1), ("DSQL011", 2)], found
    assert "unsupported mode. please use CREATE INDEX ASYNC." in found[0]["message"]
    # An ASYNC build starts a job a rollback may not cancel: live mode never sends it.
    assert "background index build job" in found[1]["message"]
    assert pg_query(pg, "SELECT count(*) FROM sys.jobs") == jobs
    assert pg_query(pg, "SELECT to_regclass('public.owner_city')") == [(None,)]


def test_live_mode_checks_each_statement_alone_so_a_block_of_ddl_is_not_blamed_on_the_cluster(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    sql = (
        "BEGIN;\nCREATE TABLE public.st_x (id uuid PRIMARY KEY);\n"
        "CREATE TABLE public.st_y (id uuid PRIMARY KEY);\nCOMMIT;\n"
    )
    _, diags, _ = run_check(tmp_path, sql, live_options(door, pki))
    assert live(diags) == [], diags  # the static rule (one DDL per transaction) says it, the cluster is not asked
    assert any(d["code"] == "DSQL501" for d in diags)
    sent = _sent(door)
    assert "COMMIT" not in sent.replace("ROLLBACK", "")  # the file's COMMIT is never sent


def test_live_mode_retries_oc001_after_another_session_s_ddl(
    aws_env: Any, make_door: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    door = make_door()
    door.dsql.stale_catalog = True
    other = _connect(door, pki)
    real = runner_module.LiveRunner.check_statement
    done: list[bool] = []

    def with_concurrent_ddl(self: Any, stmt: Any, static: Any = ()) -> Any:
        if not done:  # another session changes the schema while the run goes on
            other.execute("CREATE TABLE public.st_other (id uuid PRIMARY KEY)")
            other.execute("DROP TABLE public.st_other")  # the catalog ends as it was: only OC001 is left
            done.append(True)
        return real(self, stmt, static)

    monkeypatch.setattr(runner_module.LiveRunner, "check_statement", with_concurrent_ddl)
    code, diags, err = run_check(
        tmp_path, "INSERT INTO public.owner (name, cty) VALUES ('a', 'b');\n", live_options(door, pki)
    )
    found = live(diags)
    # OC001 is retried: the answer is the statement's own error, not the stale catalog.
    assert code == 1 and done, err
    assert [d["code"] for d in found] == ["DSQL010"] and "42703" in found[0]["message"], (err, diags)


def test_a_rollback_that_does_not_undo_ddl_stops_live_mode_and_nothing_is_destroyed(
    aws_env: Any, make_door: Any, pki: Any, tmp_path: Path, pg: Any
) -> None:
    """The worst case: DDL is committed although live mode rolls back. The catalog guard sees the
    trace and stops the run; the DROP and DELETE after it are never sent."""
    door = make_door()
    door.dsql.ddl_rolls_back = False
    rows = pg_query(pg, "SELECT count(*) FROM public.owner")
    sql = "CREATE TABLE public.st_leak (id uuid PRIMARY KEY);\nDROP TABLE public.owner;\nDELETE FROM public.owner;\n"
    try:
        code, _diags, err = run_check(tmp_path, sql, live_options(door, pki))
        assert code == 2, err
        assert "catalog changed" in err and "V1__migration.sql:1" in err
        sent = _sent(door)
        assert "DROP TABLE PUBLIC.OWNER" not in sent and "DELETE FROM" not in sent
        assert pg_query(pg, "SELECT count(*) FROM public.owner") == rows
    finally:
        pg_query(pg, "DROP TABLE IF EXISTS public.st_leak")


def test_by_default_live_mode_never_sends_destructive_statements(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    sql = (
        "DROP TABLE public.owner;\nDELETE FROM public.owner WHERE name = 'x';\n"
        "UPDATE public.owner SET city = 'y';\nALTER TABLE public.owner DROP COLUMN city;\n"
        "TRUNCATE public.owner;\nDROP SCHEMA myschema CASCADE;\n"
    )
    run_check(tmp_path, sql, live_options(door, pki))
    sent = _sent(door)
    for word in ("DROP TABLE", "DELETE FROM", "UPDATE PUBLIC", "DROP COLUMN", "TRUNCATE", "DROP SCHEMA"):
        assert word not in sent, (word, sent)


def test_no_token_or_secret_in_any_output_log_cache_or_exception(
    aws_env: Any, door: Any, make_door: Any, pki: Any, tmp_path: Path, pg: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every text a run leaves (each report format, stderr, the cache folder and its run records,
    doctor, a failed connection, the server's log) is searched for every token issued and for the
    fake credentials."""
    from click.testing import CliRunner

    from dsql_lint.cli.app import main
    from dsql_lint.live import auth

    issued: list[str] = []
    real = auth.TokenSource.token

    def recording(self: Any) -> str:
        token: str = real(self)
        issued.append(token)
        return token

    monkeypatch.setattr(auth.TokenSource, "token", recording)
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / "V1__m.sql").write_text(
        "SELECT 1;\nINSERT INTO public.owner (name, cty) VALUES ('a', 'b');\nTRUNCATE public.owner;\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    texts: list[str] = []
    args = _args(live_options(door, pki))  # --live and the connection options
    for output in ("text", "concise", "json", "sarif", "github", "gitlab", "junit"):
        result = CliRunner().invoke(main, ["check", "--cache-dir", str(cache), "--format", output, *args, str(folder)])
        assert result.exit_code == 1, result.output
        texts += [result.stdout, result.stderr]
    doctor = CliRunner().invoke(main, ["doctor", *_args(live_options(door, pki))[1:]])
    texts += [doctor.stdout, doctor.stderr]
    refusing = make_door(clock_skew=3600)  # the door finds every token expired
    failed = CliRunner().invoke(main, ["check", *_args(live_options(refusing, pki)), str(folder)])
    assert failed.exit_code == 2
    texts += [failed.stdout, failed.stderr, repr(failed.exception)]
    for path in [*cache.rglob("*"), pg.root / "server.log"]:
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    assert issued, "no token was issued: the test proves nothing"
    secrets = [*issued, *(t.split("X-Amz-Signature=")[-1] for t in issued), SECRET_KEY, SESSION_TOKEN]
    for text in texts:
        for secret in secrets:
            assert secret not in text


@pytest.mark.parametrize(
    ("variable", "value"),
    [("PGSSLMODE", "disable"), ("PGSSLMODE", "require"), ("PGSSLROOTCERT", "system"), ("PGREQUIRESSL", "0")],
)
def test_verify_full_cannot_be_downgraded_by_the_environment(
    aws_env: Any, make_door: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    """libpq reads PG* variables; none of them may turn verification off: a certificate for another
    host still fails, whatever the environment says."""
    from tests.live.certs import make_pki

    other = make_pki(tmp_path / "other", "other.dsql.us-east-1.on.aws")
    door = make_door(pki=other)
    monkeypatch.setenv(variable, value)
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, other))
    assert code == 2 and "TLS verification of abc123.dsql.us-east-1.on.aws failed" in err, err
