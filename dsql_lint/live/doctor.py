"""``dsql-lint doctor``: check the seeds' connection recipe step by step, with the fix for each failing step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsql_lint.live.auth import TokenSource
from dsql_lint.live.config import LiveConfig, load_live_table, resolve
from dsql_lint.live.errors import LiveError, redact


@dataclass
class Step:
    """One line of the checklist."""

    name: str
    status: str  # ok, fail, skip, warn
    detail: str
    fix: str = ""


def _settings_detail(cfg: LiveConfig) -> str:
    region = f"{cfg.region} (inferred from the endpoint)" if cfg.region_source == "endpoint" else cfg.region
    return (
        f"endpoint {cfg.endpoint}:{cfg.port}, region {region}, user {cfg.user}, database {cfg.database}, "
        f"search_path {cfg.search_path}"
    )


def diagnose(options: Mapping[str, Any], table: Mapping[str, Any] | None = None) -> list[Step]:
    """Run every step of the recipe; a failing step makes the steps that need it ``skip``."""
    steps: list[Step] = []
    try:
        cfg = resolve(options, load_live_table() if table is None else table)
    except LiveError as exc:
        steps.append(
            Step(
                "settings",
                "fail",
                str(exc),
                "set CLUSTER_ENDPOINT (and REGION when the endpoint is not <id>.dsql.<region>.on.aws), "
                "or pass --endpoint/--region",
            )
        )
        return _skip_rest(
            steps, ["credentials", "token", "tls", "direct negotiation", "connection", "search_path", "role and grants"]
        )
    steps.append(Step("settings", "ok", _settings_detail(cfg)))
    tokens = TokenSource(cfg)
    if not _step(
        steps,
        "credentials",
        lambda: f"AWS credentials found ({tokens.credentials_method()})",
        "configure AWS credentials: AWS_PROFILE, `aws configure`, `aws sso login`, or --profile",
    ):
        return _skip_rest(steps, ["token", "tls", "direct negotiation", "connection", "search_path", "role and grants"])
    action = "DbConnectAdmin" if cfg.is_admin else "DbConnect"
    if not _step(
        steps,
        "token",
        lambda: _token_detail(tokens, action),
        "upgrade boto3/botocore (>= 1.35.74) so the dsql client can generate tokens",
    ):
        return _skip_rest(steps, ["tls", "direct negotiation", "connection", "search_path", "role and grants"])
    steps.append(_tls_step(cfg))
    steps.append(_negotiation_step(cfg))
    conn = None
    try:
        from dsql_lint.live.connect import open_connection

        conn = open_connection(cfg, tokens, search_path=False)
        steps.append(Step("connection", "ok", f"connected to {cfg.endpoint} as {cfg.user} over verified TLS"))
    except LiveError as exc:
        steps.append(Step("connection", "fail", str(exc), _connection_fix(str(exc), cfg)))
        return _skip_rest(steps, ["search_path", "role and grants"])
    try:
        _session_steps(steps, conn, cfg)
    finally:
        conn.close()
    return steps


def _token_detail(tokens: TokenSource, action: str) -> str:
    tokens.token()
    return f"{action} token generated for {tokens.cfg.endpoint} in {tokens.cfg.region} (not shown)"


def _step(steps: list[Step], name: str, run: Callable[[], str], fix: str) -> bool:
    try:
        steps.append(Step(name, "ok", run()))
        return True
    except LiveError as exc:
        steps.append(Step(name, "fail", str(exc), fix))
        return False


def _skip_rest(steps: list[Step], names: list[str]) -> list[Step]:
    steps.extend(Step(name, "skip", "not checked: an earlier step failed") for name in names)
    return steps


def _tls_step(cfg: LiveConfig) -> Step:
    from dsql_lint.live.connect import libpq_version, trust_store

    version = libpq_version()
    trust, origin = trust_store(cfg)
    if trust != "system" and not Path(trust).is_file():
        return Step("tls", "fail", f"root certificate file {trust} does not exist", "pass an existing --sslrootcert")
    if trust == "system" and version < 160000:
        return Step(
            "tls",
            "fail",
            f"libpq {version // 10000} cannot use sslrootcert=system",
            "download Amazon Root CA 1 and pass --sslrootcert, or upgrade psycopg[binary]",
        )
    try:
        shaken = _handshake(cfg, None if trust == "system" else trust)
    except (OSError, ValueError) as exc:
        reason = (
            getattr(exc, "verify_message", None) or getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        )
        return Step(
            "tls",
            "fail",
            f"TLS handshake with {cfg.endpoint}:{cfg.port} failed: {reason} (root certificates: {trust}, {origin})",
            "trust Amazon Root CA 1 (the system trust store, or --sslrootcert FILE) and connect by the "
            "cluster's own host name",
        )
    return Step("tls", "ok", f"sslmode=verify-full, root certificates: {trust} ({origin}); {shaken}")


def _handshake(cfg: LiveConfig, cafile: str | None) -> str:
    """A real TLS handshake with the endpoint, verified as verify-full does (chain and host name):
    direct (ALPN ``postgresql``) unless classic negotiation is chosen, else after an SSLRequest."""
    import socket
    import ssl
    import struct

    context = ssl.create_default_context(cafile=cafile)
    context.set_alpn_protocols(["postgresql"])
    address = (cfg.hostaddr or cfg.endpoint, cfg.port)
    with socket.create_connection(address, timeout=cfg.connect_timeout) as raw:
        if cfg.tls_negotiation == "classic":
            raw.sendall(struct.pack("!II", 8, 80877103))  # SSLRequest
            if raw.recv(1) != b"S":
                raise OSError(0, "the server refused the SSLRequest (no TLS)")
        with context.wrap_socket(raw, server_hostname=cfg.endpoint) as tls:
            cert: dict[str, Any] = dict(tls.getpeercert() or {})
            names = [part for rdn in cert.get("issuer", ()) for part in rdn if part[0] == "commonName"]
            issuer = names[0][1] if names else "unknown"
            return f"handshake verified ({tls.version()}, issuer {issuer})"


def _negotiation_step(cfg: LiveConfig) -> Step:
    from dsql_lint.live.connect import libpq_version

    version = libpq_version()
    supported = version >= 170000
    if cfg.tls_negotiation == "classic":
        return Step("direct negotiation", "ok", "classic SSLRequest negotiation chosen (--tls-negotiation classic)")
    if supported:
        return Step("direct negotiation", "ok", f"libpq {version // 10000} supports sslnegotiation=direct")
    status = "fail" if cfg.tls_negotiation == "direct" else "warn"
    return Step(
        "direct negotiation",
        status,
        f"libpq {version // 10000} predates direct TLS negotiation (falling back to the SSLRequest preamble)",
        "upgrade psycopg[binary] to a build with libpq >= 17",
    )


def _connection_fix(message: str, cfg: LiveConfig) -> str:
    if "IAM token" in message:
        action = "dsql:DbConnectAdmin" if cfg.is_admin else "dsql:DbConnect"
        return (
            f"allow {action} on the cluster for your IAM identity"
            + ("" if cfg.is_admin else f", and as admin run `AWS IAM GRANT {cfg.user} TO '<role arn>'`")
            + "; check the machine's clock"
        )
    if "TLS" in message:
        return "trust Amazon Root CA 1 (system trust store or --sslrootcert) and connect by the cluster's host name"
    if "unreachable" in message:
        return "check the endpoint name, port 5432, and that your network allows outbound TLS to it"
    return "see the message above"


def _session_steps(steps: list[Step], conn: Any, cfg: LiveConfig) -> None:
    from dsql_lint.live.connect import set_search_path

    try:
        set_search_path(conn, cfg)
        path = conn.execute("SHOW search_path").fetchone()[0]
        steps.append(Step("search_path", "ok", f"search_path = {path}"))
    except LiveError as exc:
        fix = (
            f"as admin: CREATE SCHEMA {cfg.schema}; GRANT USAGE, CREATE ON SCHEMA {cfg.schema} TO {cfg.user}"
            if not cfg.is_admin
            else "the admin role must be able to use schema public"
        )
        steps.append(Step("search_path", "fail", str(exc), fix))
        steps.append(Step("role and grants", "skip", "not checked: an earlier step failed"))
        return
    except Exception as exc:
        steps.append(Step("search_path", "fail", redact(str(exc)), "see the message above"))
        steps.append(Step("role and grants", "skip", "not checked: an earlier step failed"))
        return
    row = conn.execute(
        "SELECT current_user, has_schema_privilege(current_user, %s, 'USAGE'), "
        "has_schema_privilege(current_user, %s, 'CREATE')",
        (cfg.search_path, cfg.search_path),
    ).fetchone()
    user, usage, create = row
    if usage and create:
        steps.append(Step("role and grants", "ok", f"role {user} has USAGE and CREATE on schema {cfg.search_path}"))
    else:
        missing = " and ".join(p for p, ok in (("USAGE", usage), ("CREATE", create)) if not ok)
        steps.append(
            Step(
                "role and grants",
                "fail",
                f"role {user} lacks {missing} on schema {cfg.search_path}",
                f"as admin: GRANT USAGE, CREATE ON SCHEMA {cfg.search_path} TO {user}",
            )
        )


MARKS = {"ok": "[ok]  ", "fail": "[FAIL]", "skip": "[skip]", "warn": "[warn]"}


def render(steps: list[Step]) -> str:
    """The checklist as text, one step a line, the fix indented under a failing step."""
    lines = []
    for step in steps:
        lines.append(f"{MARKS[step.status]} {step.name}: {step.detail}")
        if step.fix and step.status in ("fail", "warn"):
            lines.append(f"       fix: {step.fix}")
    failed = sum(1 for s in steps if s.status == "fail")
    lines.append("all checks passed" if not failed else f"{failed} check(s) failed")
    return "\n".join(lines)
