"""Live-mode pieces that need no server: settings, redaction, statement analysis, retries, lazy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dsql_lint.frontend.script import build_script
from dsql_lint.live.config import region_from_endpoint, resolve
from dsql_lint.live.errors import LiveError, describe_connect_error, redact
from dsql_lint.live.objects import analyze
from dsql_lint.text.source import Source

ROOT = Path(__file__).resolve().parents[2]


def stmt(sql: str) -> Any:
    return build_script(Source("t.sql", sql)).statements[0]


def test_region_inference() -> None:
    assert region_from_endpoint("abc123.dsql.us-east-1.on.aws") == "us-east-1"
    assert region_from_endpoint("abc.dsql-fnh4.eu-west-2.on.aws.") == "eu-west-2"
    assert region_from_endpoint("db.example.com") is None
    cfg = resolve({}, {}, {"CLUSTER_ENDPOINT": "abc.dsql.ap-south-1.on.aws"})
    assert (cfg.region, cfg.region_source, cfg.user, cfg.port, cfg.database) == (
        "ap-south-1",
        "endpoint",
        "admin",
        5432,
        "postgres",
    )
    cfg = resolve(
        {},
        {"user": "app", "schema": "s1"},
        {"CLUSTER_ENDPOINT": "h.example", "REGION": "us-east-2", "DB_PORT": "6543", "DB_NAME": "d"},
    )
    assert (cfg.region, cfg.user, cfg.port, cfg.database, cfg.search_path) == ("us-east-2", "app", 6543, "d", "s1")
    assert resolve({"user": "admin"}, {}, {"CLUSTER_ENDPOINT": "a.dsql.us-east-1.on.aws"}).search_path == "public"


def test_settings_errors_are_sentences() -> None:
    with pytest.raises(LiveError, match="no cluster endpoint"):
        resolve({}, {}, {})
    with pytest.raises(LiveError, match="no region"):
        resolve({"endpoint": "db.example.com"}, {}, {})
    with pytest.raises(LiveError, match="unknown key"):
        resolve({}, {"password": "x"}, {"CLUSTER_ENDPOINT": "a.dsql.us-east-1.on.aws"})
    with pytest.raises(LiveError, match="must be a number"):
        resolve({}, {}, {"CLUSTER_ENDPOINT": "a.dsql.us-east-1.on.aws", "DB_PORT": "x"})


def test_tokens_are_redacted() -> None:
    token = "abc.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ff"
    assert "Action=" not in redact(f"password {token} rejected")
    assert redact("secret xyz here", ["xyz"]) == "secret [token] here"
    text = describe_connect_error(f"connection to server failed: FATAL:  access denied {token}", "h", 5432, "admin")
    assert "X-Amz" not in text and "rejected the IAM token" in text


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("CREATE INDEX ASYNC i ON t (a);", "background index build"),
        ("ALTER TABLE ASYNC t VALIDATE CONSTRAINT c;", "background job"),
        ("COPY t FROM STDIN;", "COPY"),
        ("SELECT setval('s', 1);", "setval"),
        ("NOTIFY chan;", "NOTIFY"),
        ("CALL sys.wait_for_job('j');", "procedures"),
        ("AWS IAM GRANT app TO 'arn:aws:iam::1:role/r';", "IAM"),
        ("VACUUM t;", "VACUUM"),
    ],
)
def test_side_effecting_statements_are_refused(sql: str, reason: str) -> None:
    refusal = analyze(stmt(sql)).refusal
    assert refusal is not None and reason in refusal


def test_analysis_of_ddl_heads() -> None:
    a = analyze(stmt('CREATE TABLE IF NOT EXISTS s1."Owner" (id int PRIMARY KEY, e text UNIQUE);'))
    assert (a.action, a.guarded, a.table_indexes) == ("create", True, 2)
    assert [(t.schema, t.name) for t in a.targets] == [("s1", "Owner")]
    a = analyze(stmt("DROP TABLE a, s.b CASCADE;"))
    assert [(t.schema, t.name) for t in a.targets] == [(None, "a"), ("s", "b")]
    a = analyze(stmt("CREATE UNIQUE INDEX ASYNC ix ON s.t (a);"))
    assert a.index_table is not None and a.index_table.name == "t"
    assert [(t.schema, t.name) for t in a.targets] == [("s", "ix")]
    a = analyze(stmt("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x JOIN u ON true;"))
    assert a.explain and sorted(r.name for r in a.references) == ["t", "u"]
    assert analyze(stmt("SELECT 1;")).refusal is None


def test_occ_conflicts_are_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg

    from dsql_lint.live import runner as runner_module
    from dsql_lint.live.runner import LiveRunner

    class Result:
        def fetchall(self) -> list[Any]:
            return []

    class FakeConn:
        closed = False
        attempts = 0

        def execute(self, query: str, *args: Any, **kwargs: Any) -> Result:
            if query.startswith("EXPLAIN"):
                FakeConn.attempts += 1
                if FakeConn.attempts < 3:
                    raise psycopg.errors.SerializationFailure("change conflicts with another transaction (OC000)")
            return Result()

    monkeypatch.setattr(runner_module.time, "sleep", lambda seconds: None)
    cfg = resolve({"endpoint": "abc.dsql.us-east-1.on.aws"}, {}, {})
    live = LiveRunner(cfg)
    live.conn = FakeConn()
    live.opened_at = runner_module.time.monotonic()
    live.fingerprint = runner_module.fingerprint(live.conn)
    script = build_script(Source("t.sql", "SELECT 1;\n"))
    assert live.check_script(script) == []
    assert FakeConn.attempts == 3
    FakeConn.attempts = -10  # keeps conflicting: reported after max_retries
    found = live.check_script(script)
    assert [d.code for d in found] == ["DSQL010"] and "OC000" in found[0].message


def test_static_lint_never_imports_boto3_or_psycopg(tmp_path: Path) -> None:
    sql = tmp_path / "m.sql"
    sql.write_text("CREATE INDEX i ON t (a DESC);\n")
    code = (
        "import sys\n"
        "import dsql_lint, dsql_lint.cli.app\n"
        "dsql_lint.lint_sql('SELECT 1;')\n"
        "try:\n"
        f"    dsql_lint.cli.app.main(['check', {str(sql)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore', 'psycopg'))\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


def test_missing_server_binaries_give_a_skip_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.live import pgserver

    monkeypatch.setattr(pgserver, "find_bindir", lambda: None)
    with pytest.raises(pgserver.Unavailable, match="PostgreSQL server binaries"):
        pgserver.start()


class _Unavailable(Exception):
    sqlstate = "42P01"


class _Conflict(Exception):
    sqlstate = "40001"


class _FakeConn:
    """Answers catalog queries with no rows, and refuses pg_proc as DSQL's system-tables page says."""

    def __init__(self, conflicts: int = 0) -> None:
        self.conflicts = conflicts

    def execute(self, query: str) -> Any:
        if self.conflicts:
            self.conflicts -= 1
            raise _Conflict("OC001 schema has been updated by another transaction")
        if "pg_proc" in query:
            raise _Unavailable('relation "pg_proc" does not exist')
        return self

    def fetchall(self) -> list[Any]:
        return []


def test_the_catalog_guard_does_without_pg_proc() -> None:
    from dsql_lint.live.catalog import fingerprint, snapshot

    assert fingerprint(_FakeConn()) == fingerprint(_FakeConn())
    assert snapshot(_FakeConn()).functions == set()


def test_the_catalog_guard_retries_a_stale_catalog_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from dsql_lint.live import runner
    from dsql_lint.live.catalog import fingerprint

    monkeypatch.setattr(runner.time, "sleep", lambda _s: None)
    guard = runner.LiveRunner.__new__(runner.LiveRunner)
    guard.cfg = resolve({"endpoint": "abc.dsql.us-east-1.on.aws"}, {}, {})
    guard.conn = _FakeConn(conflicts=2)
    guard.fingerprint = fingerprint(_FakeConn())
    guard.tokens = type("Tokens", (), {"issued": []})()
    monkeypatch.setattr(runner.LiveRunner, "_ensure", lambda self: None)
    guard._verify_catalog("V1__x.sql:1")  # two OC001 answers, then the same catalog: no error
    guard.conn = _FakeConn(conflicts=10)
    with pytest.raises(LiveError, match="cannot re-read the catalog"):
        guard._verify_catalog("V1__x.sql:1")
