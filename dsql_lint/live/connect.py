"""Open a psycopg 3 connection the way the seeds' recipe says, and turn failures into one sentence."""

from __future__ import annotations

import contextlib
from typing import Any

from dsql_lint.__about__ import __version__
from dsql_lint.live.auth import TokenSource
from dsql_lint.live.config import LiveConfig
from dsql_lint.live.errors import LiveError, describe_connect_error, redact

#: DSQL closes connections after one hour; reconnect (with a fresh token) well before.
MAX_CONNECTION_AGE = 50 * 60


def libpq_version() -> int:
    """The libpq version psycopg is using, as an integer like 170002."""
    import psycopg

    return int(psycopg.pq.version())


def negotiation(cfg: LiveConfig) -> str | None:
    """The ``sslnegotiation`` value to use, or None for libpq's default (the classic SSLRequest)."""
    version = libpq_version()
    if cfg.tls_negotiation == "classic":
        return "postgres" if version >= 170000 else None
    if version >= 170000:
        return "direct"
    if cfg.tls_negotiation == "direct":
        raise LiveError(
            f"direct TLS negotiation needs libpq 17 or later, but psycopg uses libpq {version // 10000}; "
            "upgrade psycopg[binary] or use --tls-negotiation classic"
        )
    return None


def trust_store(cfg: LiveConfig) -> tuple[str, str]:
    """The root certificates verify-full checks the cluster against, and where they come from.

    ``sslrootcert=system`` would make libpq use its own OpenSSL's default paths, and the OpenSSL
    inside psycopg[binary]'s wheel looks in folders (``/usr/lib/psycopg-openssl/...``) that an
    ordinary Linux machine does not have: the connection then failed although the machine trusts
    Amazon's root. So the bundle is named by its path: ``--sslrootcert``; else ``SSL_CERT_FILE``;
    else the bundle Python's own ``ssl`` module finds on this machine; else certifi's, when installed.
    """
    import os
    import ssl

    if cfg.sslrootcert:
        return cfg.sslrootcert, "--sslrootcert"
    env = os.environ.get("SSL_CERT_FILE")
    if env and os.path.isfile(env):
        return env, "SSL_CERT_FILE"
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and os.path.isfile(candidate):
            return candidate, "the system bundle (as Python's ssl module finds it)"
    try:
        import certifi  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return "system", "libpq's default (no system bundle file was found)"
    return certifi.where(), "certifi's bundle"


def connection_params(cfg: LiveConfig, password: str) -> dict[str, Any]:
    """libpq parameters: verify-full TLS, direct negotiation when supported, the token as password."""
    params: dict[str, Any] = {
        "host": cfg.endpoint,
        "port": cfg.port,
        "dbname": cfg.database,
        "user": cfg.user,
        "password": password,
        "sslmode": "verify-full",
        "sslrootcert": trust_store(cfg)[0],
        "connect_timeout": cfg.connect_timeout,
        "application_name": f"dsql-lint/{__version__}",
    }
    mode = negotiation(cfg)
    if mode:
        params["sslnegotiation"] = mode
    if cfg.hostaddr:
        params["hostaddr"] = cfg.hostaddr
    return params


def set_search_path(conn: Any, cfg: LiveConfig) -> None:
    """``SET search_path`` by user type, after checking the schema exists and the role may use it."""
    from psycopg import sql

    schema = cfg.search_path
    row = conn.execute(
        "SELECT has_schema_privilege(current_user, n.oid, 'USAGE') FROM pg_namespace n WHERE n.nspname = %s",
        (schema,),
    ).fetchone()
    if row is None:
        raise LiveError(
            f"schema `{schema}` does not exist on the cluster; as admin run `CREATE SCHEMA {schema}` and "
            f"`GRANT USAGE, CREATE ON SCHEMA {schema} TO {cfg.user}`, or pass --schema"
        )
    if not row[0]:
        raise LiveError(
            f"permission denied: role `{cfg.user}` may not use schema `{schema}`; as admin run "
            f"`GRANT USAGE, CREATE ON SCHEMA {schema} TO {cfg.user}`"
        )
    conn.execute(sql.SQL("SET search_path = {}").format(sql.Identifier(schema)))


def open_connection(cfg: LiveConfig, tokens: TokenSource, *, search_path: bool = True) -> Any:
    """A new autocommit connection with a fresh token and the recipe's search_path."""
    import psycopg

    token = tokens.token()
    try:
        conn = psycopg.connect(**connection_params(cfg, token), autocommit=True)
    except psycopg.OperationalError as exc:
        raise LiveError(describe_connect_error(str(exc), cfg.endpoint, cfg.port, cfg.user, tokens.issued)) from None
    except psycopg.Error as exc:
        raise LiveError(f"cannot connect to {cfg.endpoint}: {redact(str(exc), tokens.issued)}") from None
    try:
        if search_path:
            set_search_path(conn, cfg)
        if cfg.statement_timeout:
            # the server may not allow it; the run still works without a server-side timeout
            with contextlib.suppress(psycopg.Error):
                conn.execute(f"SET statement_timeout = {int(cfg.statement_timeout * 1000)}")
    except psycopg.Error as exc:
        conn.close()
        raise LiveError(f"cannot prepare the session on {cfg.endpoint}: {redact(str(exc), tokens.issued)}") from None
    except LiveError:
        conn.close()
        raise
    return conn
