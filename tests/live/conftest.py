"""Fixtures for live mode: a real PostgreSQL behind a DSQL-like TLS + IAM front door. No AWS, loopback only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.live import pgserver
from tests.live.dsql_standin import SETUP_SQL, Cluster
from tests.live.frontdoor import FrontDoor

if TYPE_CHECKING:
    from tests.live.certs import Pki

HOST = "abc123.dsql.us-east-1.on.aws"
REGION = "us-east-1"
ACCESS_KEY = "AKIDDSQLLINTTEST"
SECRET_KEY = "dsql-lint-test-secret"
SESSION_TOKEN = "dsql-lint-test-session-token"


@pytest.fixture(scope="session")
def pg() -> Iterator[pgserver.PgServer]:
    """A real PostgreSQL server (16 from the ``pgserver`` wheel, DSQL's version, else the machine's) with
    roles ``admin`` (superuser) and ``app``, schema ``myschema``, and DSQL's ``sys`` schema."""
    try:
        server = pgserver.start()
    except pgserver.Unavailable as exc:
        if os.environ.get("DSQL_LINT_REQUIRE_LIVE"):  # .ci/run: the stand-in must run, not be skipped
            pytest.fail(f"live-mode tests need a PostgreSQL server: {exc}")
        pytest.skip(f"live-mode tests need a PostgreSQL server: {exc}")
    try:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=server.port, user="admin", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE ROLE app LOGIN")
            conn.execute("CREATE SCHEMA myschema")
            conn.execute("GRANT USAGE, CREATE ON SCHEMA myschema TO app")
            conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
            conn.execute("CREATE ROLE lonely LOGIN")
            conn.execute(
                "CREATE TABLE public.owner (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
                "name varchar(30) NOT NULL, city varchar(80) NOT NULL)"
            )
            conn.execute("CREATE TABLE myschema.pet (id uuid PRIMARY KEY, name text)")
            conn.execute("GRANT ALL ON myschema.pet TO app")
            conn.execute(SETUP_SQL)  # DSQL's sys schema (sys.jobs, sys.wait_for_job)
        yield server
    finally:
        server.stop()


def pg_query(server: pgserver.PgServer, sql: str) -> list[tuple[Any, ...]]:
    """Run a query on the real server directly (not through the front door)."""
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=server.port, user="admin", dbname="postgres", autocommit=True) as c:
        cur = c.execute(sql)
        return list(cur.fetchall()) if cur.description is not None else []


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A test CA and a certificate for the DSQL-style host name."""
    pytest.importorskip("cryptography", reason="the live-mode tests need `cryptography` (pip install -e '.[test]')")
    from tests.live.certs import make_pki

    return make_pki(tmp_path_factory.mktemp("pki"), HOST)


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """Fake static credentials so boto3 signs locally; no profile files, no instance metadata."""
    empty = tmp_path / "empty-aws-file"
    empty.write_text("")
    env = {
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_SESSION_TOKEN": SESSION_TOKEN,
        "AWS_CONFIG_FILE": str(empty),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "CLUSTER_ENDPOINT",
        "CLUSTER_USER",
        "REGION",
        "DB_PORT",
        "DB_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "PGSSLROOTCERT",
        "PGHOST",
        "PGHOSTADDR",
        "PGPORT",
        "PGUSER",
        "PGSSLNEGOTIATION",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _door(pg: pgserver.PgServer, pki: Pki, **kwargs: Any) -> FrontDoor:
    """A front door to ``pg`` that enforces DSQL's rules (tests/live/dsql_standin.py) unless ``dsql=None``."""
    kwargs.setdefault("dsql", Cluster(backend_port=pg.port))
    return FrontDoor(
        host=HOST,
        region=REGION,
        cert=pki.server_cert,
        key=pki.server_key,
        backend_port=pg.port,
        secrets={ACCESS_KEY: SECRET_KEY},
        **kwargs,
    ).start()


@pytest.fixture
def door(pg: pgserver.PgServer, pki: Pki) -> Iterator[FrontDoor]:
    """A front door that accepts direct and classic TLS negotiation."""
    front = _door(pg, pki)
    yield front
    front.close()


@pytest.fixture
def make_door(pg: pgserver.PgServer, pki: Pki) -> Iterator[Any]:
    """A factory for front doors with other settings (certificate, negotiation)."""
    made: list[FrontDoor] = []

    def factory(**kwargs: Any) -> FrontDoor:
        front = _door(pg, kwargs.pop("pki", pki), **kwargs)
        made.append(front)
        return front

    yield factory
    for front in made:
        front.close()


def live_options(door: FrontDoor, pki: Pki, **extra: Any) -> dict[str, Any]:
    """Options that point live mode at ``door`` by host name, reached through hostaddr=127.0.0.1."""
    options: dict[str, Any] = {
        "endpoint": HOST,
        "hostaddr": "127.0.0.1",
        "port": door.port,
        "sslrootcert": str(pki.ca_cert),
        "statement_timeout": 10,
    }
    options.update(extra)
    return options
