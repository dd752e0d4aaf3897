"""Live-mode settings: options, then the ``live`` config table, then the seeds' environment variables."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsql_lint.live.errors import LiveError

#: ``<cluster-id>.dsql[-suffix].<region>.on.aws`` (the connector's own pattern).
_REGION_FROM_HOST = re.compile(r"\.dsql[^.]*\.([^.]+)\.on\.aws$")

NEGOTIATIONS = ("auto", "direct", "classic")
DML_CHECKS = ("explain", "execute")
#: DSQL's index limit per table, primary key and unique-constraint indexes included.
INDEX_LIMIT = 24


def region_from_endpoint(endpoint: str) -> str | None:
    """The region in a DSQL endpoint name, or None when the name does not follow the pattern."""
    match = _REGION_FROM_HOST.search(endpoint.strip().rstrip(".").lower())
    return match.group(1) if match else None


@dataclass
class LiveConfig:
    """Everything needed to reach one cluster, resolved and validated."""

    endpoint: str
    region: str
    region_source: str = "option"
    user: str = "admin"
    port: int = 5432
    database: str = "postgres"
    profile: str | None = None
    schema: str = "myschema"
    sslrootcert: str | None = None
    tls_negotiation: str = "auto"
    hostaddr: str | None = None
    statement_timeout: float = 30.0
    connect_timeout: int = 10
    max_retries: int = 3
    dml_check: str = "explain"
    #: The user says the cluster's data may be lost: destructive statements are run (rolled back).
    scratch_cluster: bool = False
    token_duration: int = 900
    index_limit: int = INDEX_LIMIT

    @property
    def is_admin(self) -> bool:
        """True for DSQL's built-in ``admin`` role."""
        return self.user == "admin"

    @property
    def search_path(self) -> str:
        """``public`` for admin, the configured schema otherwise (the seeds' recipe)."""
        return "public" if self.is_admin else self.schema


#: option name -> (config key, environment variable)
_SOURCES = {
    "endpoint": ("endpoint", "CLUSTER_ENDPOINT"),
    "region": ("region", "REGION"),
    "user": ("user", "CLUSTER_USER"),
    "port": ("port", "DB_PORT"),
    "database": ("database", "DB_NAME"),
    "profile": ("profile", None),
    "schema": ("schema", None),
    "sslrootcert": ("sslrootcert", None),
    "tls_negotiation": ("tls-negotiation", None),
    "hostaddr": ("hostaddr", None),
    "statement_timeout": ("statement-timeout", None),
    "connect_timeout": ("connect-timeout", None),
    "max_retries": ("max-retries", None),
    "dml_check": ("dml-check", None),
    "scratch_cluster": ("scratch-cluster", None),
    "index_limit": ("index-limit", None),
}


def _pick(name: str, options: Mapping[str, Any], table: Mapping[str, Any], env: Mapping[str, str]) -> Any:
    key, var = _SOURCES[name]
    value = options.get(name)
    if value is None or value == "":
        value = table.get(key, table.get(key.replace("-", "_")))
    if (value is None or value == "") and var:
        value = env.get(var) or None
    return value


def _number(name: str, value: Any, kind: type) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise LiveError(f"live setting `{name}` must be a number, not {value!r}") from None
    if number < 0:
        raise LiveError(f"live setting `{name}` must not be negative")
    return number


def resolve(
    options: Mapping[str, Any] | None = None,
    table: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> LiveConfig:
    """Merge options over the ``live`` config table over environment variables; raise LiveError if unusable."""
    options = options or {}
    table = table or {}
    env = os.environ if env is None else env
    known = {k for k, _ in _SOURCES.values()} | {k.replace("-", "_") for k, _ in _SOURCES.values()}
    unknown = sorted(set(table) - known)
    if unknown:
        raise LiveError(f"unknown key(s) in the live config table: {', '.join(unknown)}")
    if "password" in table:  # pragma: no cover - caught by the unknown-key check, kept for clarity
        raise LiveError("live mode uses IAM tokens only; remove `password` from the live config table")
    endpoint = str(_pick("endpoint", options, table, env) or "").strip().rstrip(".")
    if not endpoint:
        raise LiveError("no cluster endpoint: pass --endpoint or set CLUSTER_ENDPOINT (<id>.dsql.<region>.on.aws)")
    region = _pick("region", options, table, env)
    source = "option" if options.get("region") else "config" if table.get("region") else "REGION"
    if not region:
        region = region_from_endpoint(endpoint)
        source = "endpoint"
    if not region:
        raise LiveError(
            f"no region: {endpoint} does not look like <id>.dsql.<region>.on.aws, so pass --region or set REGION"
        )
    cfg = LiveConfig(endpoint=endpoint, region=str(region), region_source=source)
    for name in ("user", "database", "profile", "schema", "sslrootcert", "tls_negotiation", "hostaddr", "dml_check"):
        value = _pick(name, options, table, env)
        if value is not None and value != "":
            setattr(cfg, name, str(value))
    for name, kind in (
        ("port", int),
        ("statement_timeout", float),
        ("connect_timeout", int),
        ("max_retries", int),
        ("index_limit", int),
    ):
        value = _pick(name, options, table, env)
        if value is not None and value != "":
            setattr(cfg, name, _number(name.replace("_", "-"), value, kind))
    scratch = _pick("scratch_cluster", options, table, env)
    if scratch is not None:
        if not isinstance(scratch, bool):
            raise LiveError("scratch-cluster must be true or false")
        cfg.scratch_cluster = scratch
    if cfg.tls_negotiation not in NEGOTIATIONS:
        raise LiveError(f"tls-negotiation must be one of {', '.join(NEGOTIATIONS)}, not {cfg.tls_negotiation!r}")
    if cfg.dml_check not in DML_CHECKS:
        raise LiveError(f"dml-check must be one of {', '.join(DML_CHECKS)}, not {cfg.dml_check!r}")
    if cfg.sslrootcert and cfg.sslrootcert != "system" and not Path(cfg.sslrootcert).is_file():
        raise LiveError(f"the --sslrootcert file {cfg.sslrootcert} does not exist")
    return cfg


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found,unused-ignore]
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
        except ModuleNotFoundError:
            return {}
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except (OSError, ValueError) as exc:
        raise LiveError(f"cannot read {path}: {exc}") from None


def load_live_table(start: Path | None = None) -> dict[str, Any]:
    """The ``[live]`` table of the nearest dsql-lint.toml / .dsql-lint.toml, or ``[tool.dsql-lint.live]``
    of the nearest pyproject.toml that has one (searching upwards from ``start``)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("dsql-lint.toml", ".dsql-lint.toml"):
            candidate = folder / name
            if candidate.is_file():
                live = _read_toml(candidate).get("live", {})
                return dict(live) if isinstance(live, dict) else {}
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool", {}).get("dsql-lint")
            if isinstance(tool, dict):
                live = tool.get("live", {})
                return dict(live) if isinstance(live, dict) else {}
    return {}
