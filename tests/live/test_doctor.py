"""``dsql-lint doctor``: the recipe checklist, against the front door."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from dsql_lint.cli.app import main
from tests.live.conftest import live_options

pytestmark = pytest.mark.live


def doctor(options: dict[str, Any]) -> tuple[int, str, str]:
    args = ["doctor"]
    for name, value in options.items():
        args += [f"--{name.replace('_', '-')}", str(value)]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.stdout, result.stderr


def test_doctor_all_green_for_admin(aws_env: Any, door: Any, pki: Any) -> None:
    code, out, err = doctor(live_options(door, pki))
    assert code == 0, out + err
    lines = out.splitlines()
    names = [line.split(":", 1)[0] for line in lines[:-1]]
    assert names == [
        "[ok]   settings",
        "[ok]   credentials",
        "[ok]   token",
        "[ok]   tls",
        "[ok]   direct negotiation",
        "[ok]   connection",
        "[ok]   search_path",
        "[ok]   role and grants",
    ]
    assert "region us-east-1 (inferred from the endpoint)" in lines[0]
    assert "search_path = public" in out
    assert lines[-1] == "all checks passed"
    assert "X-Amz" not in out and "Action=" not in out


def test_doctor_non_admin_missing_schema(aws_env: Any, door: Any, pki: Any) -> None:
    code, out, _ = doctor(live_options(door, pki, user="app", schema="nosuch"))
    assert code == 2
    assert "[FAIL] search_path: schema `nosuch` does not exist on the cluster" in out
    assert "fix: as admin: CREATE SCHEMA nosuch; GRANT USAGE, CREATE ON SCHEMA nosuch TO app" in out
    assert "[skip] role and grants" in out


def test_doctor_expired_token(aws_env: Any, make_door: Any, pki: Any) -> None:
    door = make_door(clock_skew=3600)
    code, out, _ = doctor(live_options(door, pki))
    assert code == 2
    assert "[ok]   token: DbConnectAdmin token generated" in out
    assert "[FAIL] connection: the cluster rejected the IAM token for user `admin` because it has expired" in out
    assert "fix: allow dsql:DbConnectAdmin" in out
    assert "[skip] search_path" in out
    assert "X-Amz" not in out


def test_doctor_without_credentials_or_endpoint(aws_env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = doctor({})
    assert code == 2
    assert out.startswith("[FAIL] settings: no cluster endpoint")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name)
    code, out, _ = doctor({"endpoint": "abc123.dsql.us-east-1.on.aws"})
    assert code == 2
    assert "[FAIL] credentials: no AWS credentials found" in out
    assert "[skip] token" in out and out.rstrip().endswith("1 check(s) failed")


def test_doctor_grants(aws_env: Any, door: Any, pki: Any) -> None:
    code, out, _ = doctor(live_options(door, pki, user="app"))
    assert code == 0, out
    assert "[ok]   role and grants: role app has USAGE and CREATE on schema myschema" in out


def test_doctor_tls_step_is_a_real_handshake(aws_env: Any, door: Any, pki: Any, tmp_path: Any) -> None:
    """The TLS step shakes hands with the endpoint: a bundle that does not hold the cluster's root
    fails there, with the reason, not later at `connection`."""
    from tests.live.certs import make_pki

    code, out, _ = doctor(live_options(door, pki))
    assert code == 0 and "handshake verified (TLSv1." in out, out
    other = make_pki(tmp_path / "other", "abc123.dsql.us-east-1.on.aws")
    code, out, _ = doctor(live_options(door, pki, sslrootcert=str(other.ca_cert)))
    assert code == 2
    assert "[FAIL] tls: TLS handshake with abc123.dsql.us-east-1.on.aws:" in out, out
    assert "certificate verify failed" in out or "unable to get local issuer certificate" in out, out
