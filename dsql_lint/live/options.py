"""The command-line options of live mode (click only: importing this module loads neither boto3 nor psycopg)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = [
    click.option(
        "--endpoint",
        default=None,
        help="[live] Cluster endpoint <id>.dsql.<region>.on.aws (default: $CLUSTER_ENDPOINT).",
    ),
    click.option("--region", default=None, help="[live] AWS region (default: $REGION, else from the endpoint)."),
    click.option("--user", default=None, help="[live] Database role (default: $CLUSTER_USER, else admin)."),
    click.option("--port", default=None, type=int, help="[live] Port (default: $DB_PORT, else 5432)."),
    click.option("--database", default=None, help="[live] Database (default: $DB_NAME, else postgres)."),
    click.option("--profile", default=None, help="[live] AWS profile for credentials (default: the normal chain)."),
    click.option("--schema", default=None, help="[live] Schema of a non-admin role (default: myschema)."),
    click.option("--sslrootcert", default=None, help="[live] CA bundle (default: the system trust store)."),
    click.option(
        "--tls-negotiation",
        "tls_negotiation",
        type=click.Choice(["auto", "direct", "classic"]),
        default=None,
        help="[live] TLS negotiation (default: auto, direct when libpq >= 17).",
    ),
    click.option(
        "--hostaddr", default=None, help="[live] Connect to this IP address; TLS still verifies the endpoint name."
    ),
    click.option(
        "--statement-timeout",
        "statement_timeout",
        default=None,
        type=float,
        help="[live] Seconds per statement (default: 30).",
    ),
    click.option(
        "--dml-check",
        "dml_check",
        type=click.Choice(["explain", "execute"]),
        default=None,
        help="[live] Check DML with EXPLAIN (default) or run it in a rolled-back transaction.",
    ),
    click.option(
        "--scratch-cluster",
        "scratch_cluster",
        is_flag=True,
        default=None,
        help="[live] The cluster's data may be lost: also run DROP, ALTER ... DROP, CREATE OR REPLACE and "
        "(with --dml-check execute) data changes, in rolled-back transactions. Without it they are checked "
        "from the catalog only.",
    ),
]


def live_options(with_flag: bool) -> Callable[[F], F]:
    """Add the live connection options (and ``--live`` when ``with_flag``) to a click command."""

    def decorate(func: F) -> F:
        for option in reversed(_OPTIONS):
            func = option(func)
        if with_flag:
            func = click.option(
                "--live",
                is_flag=True,
                default=False,
                help="Also ask a real Aurora DSQL cluster about each statement (never commits).",
            )(func)
        return func

    return decorate
