"""``dsql-lint check --live`` against a real PostgreSQL behind a DSQL-like front door (no AWS, loopback only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from tests.live.conftest import HOST, live_options, pg_query

pytestmark = pytest.mark.live


def _args(options: dict[str, Any]) -> list[str]:
    args = ["--live"]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    return args


def run_check(tmp_path: Path, sql: str, options: dict[str, Any], *extra: str) -> tuple[int, list[dict[str, Any]], str]:
    """Run the CLI on one file; return exit code, JSON diagnostics and stderr."""
    path = tmp_path / "V1__migration.sql"
    path.write_text(sql)
    result = CliRunner().invoke(main, ["check", "--format", "json", *extra, *_args(options), str(path)])
    diagnostics = []
    if result.stdout.strip():
        payload = json.loads(result.stdout)
        diagnostics = payload if isinstance(payload, list) else payload.get("diagnostics", [])
    return result.exit_code, diagnostics, result.stderr


def live(diagnostics: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in diagnostics if d["code"].startswith("DSQL01")]


def test_rejected_statement_is_reported_at_the_server_position(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    sql = "SELECT 1;\n\nINSERT INTO owner (name, cty) VALUES ('a', 'b');\n"
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki))
    assert code == 1, err
    found = live(diags)
    assert [d["code"] for d in found] == ["DSQL010"]
    assert found[0]["line"] == 3 and found[0]["column"] == sql.splitlines()[2].index("cty") + 1
    assert 'column "cty" of relation "owner" does not exist' in found[0]["message"]
    assert "SQLSTATE 42703" in found[0]["message"]
    assert "not caught statically" in found[0]["message"]
    assert door.seen[0]["negotiation"] == "direct"


def _no_token(*texts: str) -> None:
    for text in texts:
        assert "X-Amz" not in text and "Action=" not in text and "Signature=" not in text, text


def test_classic_negotiation_when_forced_or_when_direct_is_refused(
    aws_env: Any, make_door: Any, pki: Any, tmp_path: Path
) -> None:
    door = make_door()
    code, _diags, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki, tls_negotiation="classic"))
    assert code == 0, err
    assert [s["negotiation"] for s in door.seen] == ["classic"]
    direct_only = make_door(allow_classic=False)
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(direct_only, pki, tls_negotiation="direct"))
    assert code == 0, err
    assert direct_only.seen[0]["negotiation"] == "direct"


def test_admin_token_and_search_path_public(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    code, diags, err = run_check(tmp_path, "SELECT name FROM owner;\n", live_options(door, pki))
    assert code == 0, (err, diags)
    assert door.seen[0]["user"] == "admin"


def test_non_admin_token_uses_myschema_and_role_rules(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    sql = (
        "SELECT name FROM pet;\n"
        "CREATE TABLE public.toy (id uuid PRIMARY KEY);\n"
        "CREATE SCHEMA other;\n"
        "CREATE TABLE toy (id uuid PRIMARY KEY);\n"
    )
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki, user="app"))
    assert code == 1, err
    found = [(d["code"], d["line"], d["column"]) for d in live(diags)]
    assert ("DSQL014", 2, 14) in found
    assert ("DSQL014", 3, 15) in found
    assert not [f for f in found if f[1] in (1, 4)], found  # pet resolves in myschema; toy goes to myschema
    assert door.seen[0]["user"] == "app"
    assert pg_query(door_pg(door), "SELECT count(*) FROM pg_class WHERE relname = 'toy'") == [(0,)]


def door_pg(door: Any) -> Any:
    """The PostgreSQL server behind a front door (only its port is needed)."""

    class _Server:
        port = door.backend_port

    return _Server()


def test_region_inferred_from_endpoint_and_wrong_region_rejected(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki))
    assert code == 0, err
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki, region="us-west-2"))
    assert code == 2
    assert "rejected the IAM token" in err and err.count("\n") == 1
    _no_token(err)


def test_expired_token_is_one_sentence_without_the_token(
    aws_env: Any, make_door: Any, pki: Any, tmp_path: Path
) -> None:
    door = make_door(clock_skew=3600)
    code, _out, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki))
    assert code == 2
    assert err.startswith("error: the cluster rejected the IAM token for user `admin` because it has expired")
    assert "Signature expired" in err and err.count("\n") == 1
    assert "Traceback" not in err
    _no_token(err)


def test_token_for_another_host_is_rejected(aws_env: Any, make_door: Any, pki: Any, tmp_path: Path) -> None:
    door = make_door()
    door.host = "zzz999.dsql.us-east-1.on.aws"  # the door now expects tokens for another cluster
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki))
    assert code == 2
    assert "rejected the IAM token" in err and "access denied" in err
    assert door.seen[0]["rejected"].startswith("The token was generated for host abc123")
    _no_token(err)


def test_certificate_for_another_host_fails_tls_verification(aws_env: Any, make_door: Any, tmp_path: Path) -> None:
    from tests.live.certs import make_pki

    other = make_pki(tmp_path / "other", "other.dsql.us-east-1.on.aws")
    door = make_door(pki=other)
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, other))
    assert code == 2
    assert err.startswith("error: TLS verification of abc123.dsql.us-east-1.on.aws failed")
    assert err.count("\n") == 1


def test_rollback_leaves_the_catalog_unchanged(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    sql = (
        "BEGIN;\nCREATE TABLE visit (id uuid PRIMARY KEY, note text);\nCOMMIT;\n"
        "ALTER TABLE owner ADD COLUMN telephone varchar(20);\n"
        "ALTER TABLE visit ADD COLUMN seen date;\n"
        "INSERT INTO owner (name, city) VALUES ('a', 'b');\n"
        "DROP TABLE owner;\n"
    )
    before = pg_query(
        door_pg(door), "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1"
    )
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki, dml_check="execute"))
    assert code == 1, err
    found = live(diags)
    assert [(d["code"], d["line"]) for d in found] == [("DSQL011", 5)], found
    assert "`public.visit`" in found[0]["message"] and "V1__migration.sql:2 creates" in found[0]["message"]
    after = pg_query(
        door_pg(door), "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1"
    )
    assert after == before
    assert pg_query(door_pg(door), "SELECT count(*) FROM owner") == [(0,)]
    assert pg_query(
        door_pg(door),
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'owner' AND column_name = 'telephone'",
    ) == [(0,)]


def test_a_catalog_change_after_rollback_stops_the_run(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dsql_lint.live import runner

    def commit_instead(self: Any, where: str) -> None:
        self.conn.execute("COMMIT")

    monkeypatch.setattr(runner.LiveRunner, "_rollback", commit_instead)
    try:
        code, _, err = run_check(tmp_path, "CREATE TABLE leaked (id int);\nSELECT 1;\n", live_options(door, pki))
    finally:
        pg_query(door_pg(door), "DROP TABLE IF EXISTS leaked")
    assert code == 2
    assert "V1__migration.sql:1: the cluster's catalog changed while this statement was checked" in err
    assert err.count("\n") == 1


def test_catalog_conflicts(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    sql = (
        "CREATE TABLE owner (id uuid PRIMARY KEY);\n"
        "CREATE TABLE IF NOT EXISTS owner (id uuid PRIMARY KEY);\n"
        "DROP TABLE nosuch;\n"
        "DROP TABLE IF EXISTS nosuch;\n"
        "ALTER TABLE myschema.nothere ADD COLUMN x int;\n"
    )
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki))
    assert code == 1, err
    found = [(d["code"], d["line"], d["column"]) for d in live(diags)]
    assert found == [("DSQL012", 1, 14), ("DSQL012", 3, 12), ("DSQL012", 5, 13)], found
    messages = [d["message"] for d in live(diags)]
    assert "table `public.owner` already exists (on the cluster)" in messages[0]
    assert "table `public.nosuch` does not exist" in messages[1]


def test_index_limit_counts_existing_indexes(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    from dsql_lint.live.check import check_run
    from dsql_lint.run.lint import lint_files, make_linter

    path = tmp_path / "idx.sql"
    path.write_text("CREATE INDEX ASYNC owner_name ON owner (name);\nCREATE INDEX ASYNC owner_city ON owner (city);\n")
    result = lint_files([str(path)], make_linter())
    options = live_options(door, pki)
    check_run(result, options, table={"index-limit": 2})
    found = [(d.code, d.line) for d in result.diagnostics if d.code.startswith("DSQL01")]
    assert found == [("DSQL011", 1), ("DSQL013", 2)], found
    limit = next(d for d in result.diagnostics if d.code == "DSQL013")
    assert "3 indexes (1 on the cluster, 2 from this run)" in limit.message
    asynchronous = next(d for d in result.diagnostics if d.code == "DSQL011")
    assert "background index build job" in asynchronous.message


def test_side_effects_are_never_run(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    sql = (
        "COPY owner FROM '/etc/passwd';\n"
        "CALL sys.wait_for_job('x');\n"
        "SELECT nextval('s');\n"
        "DO $$ BEGIN NULL; END $$;\n"
        "CREATE ROLE intruder;\n"
    )
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki))
    assert code == 1, err
    found = live(diags)
    assert [(d["code"], d["line"]) for d in found] == [("DSQL011", n) for n in range(1, 6)], found
    assert all(d["message"].startswith("not run against the cluster: ") for d in found)
    assert pg_query(door_pg(door), "SELECT count(*) FROM pg_roles WHERE rolname = 'intruder'") == [(0,)]


def test_statement_timeout_is_not_validated(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    sql = "SELECT count(*) FROM generate_series(1, 1000000000);\n"
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki, statement_timeout=0.3, dml_check="execute"))
    assert code == 1, err
    found = live(diags)
    assert [d["code"] for d in found] == ["DSQL011"] and "0.3 s statement timeout" in found[0]["message"]


def test_missing_schema_for_a_non_admin_role(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki, user="app", schema="nosuch"))
    assert code == 2
    assert err.startswith("error: schema `nosuch` does not exist on the cluster")


def test_permission_denied_on_the_schema(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki, user="lonely"))
    assert code == 2
    assert err.startswith("error: permission denied: role `lonely` may not use schema `myschema`")


def test_no_credentials(aws_env: Any, door: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    code, _, err = run_check(tmp_path, "SELECT 1;\n", live_options(door, pki))
    assert code == 2
    assert err.startswith("error: no AWS credentials found")


def test_unreachable_endpoint(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    options = live_options(door, pki, port=free)
    code, _, err = run_check(tmp_path, "SELECT 1;\n", options)
    assert code == 2
    assert err.startswith("error: the endpoint abc123.dsql.us-east-1.on.aws:") and "unreachable" in err


def test_settings_from_environment_variables(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTER_ENDPOINT", HOST)
    monkeypatch.setenv("CLUSTER_USER", "app")
    monkeypatch.setenv("DB_PORT", str(door.port))
    monkeypatch.setenv("DB_NAME", "postgres")
    options = {"hostaddr": "127.0.0.1", "sslrootcert": str(pki.ca_cert)}
    code, _, err = run_check(tmp_path, "SELECT name FROM pet;\n", options)
    assert code == 0, err
    assert door.seen[0]["user"] == "app"


def test_live_findings_obey_suppression_comments(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    sql = "INSERT INTO owner (name, cty) VALUES ('a', 'b'); -- noqa: DSQL010 -- known, fixed in V9\n"
    code, diags, err = run_check(tmp_path, sql, live_options(door, pki))
    assert code == 0, (err, diags)
    assert live(diags) == []


def test_a_sql_file_cannot_make_live_mode_commit(aws_env: Any, door: Any, pki: Any, tmp_path: Path) -> None:
    # Issue 19 item 8: a carriage return ended the lexer's comment only for psql, and the statement was
    # sent as a simple query, which ran every ';'-separated command, a COMMIT among them.
    sql = "SELECT 1 -- x\r; COMMIT; INSERT INTO public.owner (name, city) VALUES ('x', 'y'); SELECT 1 -- y\n;"
    before = pg_query(door_pg(door), "SELECT count(*) FROM owner")
    run_check(tmp_path, sql, live_options(door, pki, dml_check="execute"))
    assert pg_query(door_pg(door), "SELECT count(*) FROM owner") == before


def test_statements_are_sent_one_at_a_time_on_the_extended_protocol(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dsql_lint.live import runner

    sent: list[tuple[str, bool]] = []
    real = runner.LiveRunner._run

    def spy(self: Any, stmt: Any, analysis: Any, static: Any) -> Any:
        conn = self.conn
        original = conn.execute

        def execute(query: str, *args: Any, **kwargs: Any) -> Any:
            sent.append((query, bool(kwargs.get("binary"))))
            return original(query, *args, **kwargs)

        monkeypatch.setattr(conn, "execute", execute)
        return real(self, stmt, analysis, static)

    monkeypatch.setattr(runner.LiveRunner, "_run", spy)
    run_check(tmp_path, "SELECT name FROM owner;\n", live_options(door, pki))
    checked = [(q, b) for q, b in sent if "owner" in q]
    assert checked == [("EXPLAIN SELECT name FROM owner;", True)]


def test_explain_is_never_put_before_a_statement_it_cannot_explain(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    sql = "TRUNCATE owner;\nFETCH 1 FROM c;\nMOVE 1 IN c;\nEXPLAIN SELECT 1;\nEXPLAIN ANALYZE DELETE FROM owner;\n"
    _code, diags, _err = run_check(tmp_path, sql, live_options(door, pki))
    found = live(diags)
    refused = {d["line"] for d in found if d["message"].startswith("not run against the cluster: ")}
    assert refused == {1, 2, 3, 5}, found
    assert not [d for d in found if "syntax error" in d["message"]], found


def test_alter_table_async_validate_is_no_missing_table_named_async(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    _code, diags, _err = run_check(
        tmp_path, "ALTER TABLE ASYNC owner VALIDATE CONSTRAINT owner_pkey;\n", live_options(door, pki)
    )
    found = live(diags)
    assert not [d for d in found if "async" in d["message"].lower() and "does not exist" in d["message"]], found


def test_a_cached_file_without_static_findings_is_still_checked_live(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    sql = "INSERT INTO owner (name, cty) VALUES ('a', 'b');\n"
    cache = ["--cache-dir", str(tmp_path / "cache")]
    first = run_check(tmp_path, sql, live_options(door, pki), *cache)
    second = run_check(tmp_path, sql, live_options(door, pki), *cache)
    assert [d["code"] for d in live(first[1])] == ["DSQL010"]
    assert [d["code"] for d in live(second[1])] == ["DSQL010"]  # the cache hit once meant no live check at all


def test_verify_full_works_without_sslrootcert_from_the_system_bundle(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    bundle = tmp_path / "system-bundle.pem"
    bundle.write_bytes(Path(pki.ca_cert).read_bytes())
    real = ssl.get_default_verify_paths()
    fake = ssl.DefaultVerifyPaths(str(bundle), None, real.openssl_cafile_env, str(bundle), real.openssl_capath_env, "")
    monkeypatch.setattr(ssl, "get_default_verify_paths", lambda: fake)
    options = live_options(door, pki)
    del options["sslrootcert"]
    code, diags, err = run_check(tmp_path, "SELECT name FROM owner;\n", options)
    assert code == 0, (err, diags)


def test_destructive_statements_are_checked_from_the_catalog_unless_the_cluster_is_scratch(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dsql_lint.live import runner

    ran: list[str] = []
    real = runner.LiveRunner._run

    def spy(self: Any, stmt: Any, analysis: Any, static: Any) -> Any:
        ran.append(stmt.source.text[stmt.start : stmt.end])
        return real(self, stmt, analysis, static)

    monkeypatch.setattr(runner.LiveRunner, "_run", spy)
    sql = (
        "ALTER TABLE owner DROP COLUMN city;\nDELETE FROM owner WHERE name = 'a';\nDROP TABLE nosuch;\n"
        "CREATE OR REPLACE VIEW owner_names AS SELECT name FROM owner;\nDROP TABLE owner;\n"
    )
    _code, diags, _err = run_check(tmp_path, sql, live_options(door, pki, dml_check="execute"))
    assert ran == [], ran  # nothing that a rollback might not undo was sent
    assert [(d["code"], d["line"]) for d in live(diags)] == [("DSQL012", 3)]  # the catalog still answers
    run_check(tmp_path, sql, live_options(door, pki, dml_check="execute"), "--scratch-cluster")
    assert len(ran) == 4, ran  # with the opt-in: all but the DROP of a table that does not exist
    assert pg_query(door_pg(door), "SELECT count(*) FROM pg_class WHERE relname = 'owner'") == [(1,)]


def test_side_effects_are_found_in_the_parse_tree_not_in_spellings(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    pg_query(door_pg(door), "CREATE SEQUENCE IF NOT EXISTS live_seq")
    try:
        before = pg_query(door_pg(door), "SELECT last_value FROM live_seq")
        sql = (
            "SELECT \"setval\"('live_seq', 500);\n"
            "SELECT pg_catalog.\"nextval\"('live_seq');\n"
            "SELECT query_to_xml('SELECT setval(''live_seq'', 900)', true, false, '');\n"
            "CREATE TABLE live_copy AS SELECT nextval('live_seq') AS n;\n"
        )
        _code, diags, err = run_check(tmp_path, sql, live_options(door, pki))
        found = live(diags)
        assert [(d["code"], d["line"]) for d in found] == [("DSQL011", n) for n in range(1, 5)], (found, err)
        assert pg_query(door_pg(door), "SELECT last_value FROM live_seq") == before
    finally:
        pg_query(door_pg(door), "DROP SEQUENCE IF EXISTS live_seq")


def test_an_index_created_earlier_in_the_run_is_a_dependency_not_a_missing_index(
    aws_env: Any, door: Any, pki: Any, tmp_path: Path
) -> None:
    sql = (
        "CREATE UNIQUE INDEX ASYNC owner_name_key ON owner (name);\n"
        "ALTER TABLE owner ADD CONSTRAINT owner_name_unique UNIQUE USING INDEX owner_name_key;\n"
    )
    _code, diags, _err = run_check(tmp_path, sql, live_options(door, pki))
    found = live(diags)
    assert [(d["code"], d["line"]) for d in found] == [("DSQL011", 1), ("DSQL011", 2)], found
    assert "owner_name_key" in found[1]["message"] and "earlier in this run" in found[1]["message"]
