"""Live-mode failures: one clear sentence each, never a token, always exit 2."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Anything that looks like a DSQL token (or part of one): never shown to the user.
_TOKEN_PATTERN = re.compile(
    r"[A-Za-z0-9.-]+/\?Action=DbConnect\S*|X-Amz-[A-Za-z-]+=[^&\s\"']*|Action=DbConnect(Admin)?[^\s\"']*"
)


class LiveError(Exception):
    """A failure that stops live mode; ``str()`` is one sentence for the user."""


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every secret and anything shaped like an IAM token removed."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[token]")
    return _TOKEN_PATTERN.sub("[token]", text)


def _detail(message: str) -> str:
    """The useful part of a libpq connection error: what follows the last 'failed:'."""
    first = " ".join(line.strip() for line in message.strip().splitlines() if line.strip())
    if "failed:" in first:
        first = first.rsplit("failed:", 1)[1].strip()
    return first.replace("FATAL:  ", "").replace("FATAL: ", "").rstrip(".")


def describe_connect_error(message: str, endpoint: str, port: int, user: str, secrets: Iterable[str] = ()) -> str:
    """Turn a libpq connection error into one sentence naming the failing step."""
    text = redact(message, secrets)
    lower = text.lower()
    detail = _detail(text)
    if "access denied" in lower or "password authentication failed" in lower or "28000" in lower or "28p01" in lower:
        if "expired" in lower:
            return (
                f"the cluster rejected the IAM token for user `{user}` because it has expired ({detail}); "
                "check this machine's clock and retry"
            )
        action = "dsql:DbConnectAdmin" if user == "admin" else "dsql:DbConnect"
        return (
            f"the cluster rejected the IAM token for user `{user}` ({detail}); check that your AWS identity is "
            f"allowed {action} on this cluster, that the endpoint and region are right, and that the role is "
            "linked to your IAM identity"
        )
    tls_words = ("certificate", "ssl", "tls", "alpn", "root cert")
    if any(word in lower for word in tls_words) and "connection refused" not in lower:
        return (
            f"TLS verification of {endpoint} failed ({detail}); the server certificate must be valid for that "
            "host name and signed by a CA in the trust store (or pass --sslrootcert)"
        )
    unreachable = (
        "connection refused",
        "could not translate host name",
        "timeout expired",
        "no route to host",
        "network is unreachable",
        "name or service not known",
        "could not connect",
        "server closed the connection",
        "connection timed out",
    )
    if any(word in lower for word in unreachable):
        return f"the endpoint {endpoint}:{port} is unreachable ({detail}); check the endpoint, network and port"
    return f"cannot connect to {endpoint}:{port} as `{user}` ({detail})"
