"""Verify a DSQL IAM token the way the service does: recompute its SigV4 query signature."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, quote


class TokenRejected(Exception):
    """The token is not valid; ``hint`` reads like DSQL's HINT line."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def _sign(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def verify_token(
    token: str,
    *,
    host: str,
    region: str,
    user: str,
    secrets: dict[str, str],
    now: dt.datetime | None = None,
) -> None:
    """Raise TokenRejected unless ``token`` is a valid, unexpired token for host/region/user."""
    now = now or dt.datetime.now(dt.timezone.utc)
    token_host, sep, query = token.partition("/?")
    if not sep:
        raise TokenRejected("The token is not a presigned DSQL request")
    if token_host != host:
        raise TokenRejected(f"The token was generated for host {token_host}, not for {host}")
    pairs = parse_qsl(query, keep_blank_values=True)
    params = dict(pairs)
    expected_action = "DbConnectAdmin" if user == "admin" else "DbConnect"
    if params.get("Action") != expected_action:
        raise TokenRejected(f"Action {params.get('Action')} does not allow connecting as {user}")
    if params.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
        raise TokenRejected("Unsupported signing algorithm")
    try:
        access_key, date, scope_region, service, terminator = params["X-Amz-Credential"].split("/")
        stamp = dt.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
        expires = int(params["X-Amz-Expires"])
        signature = params["X-Amz-Signature"]
    except (KeyError, ValueError):
        raise TokenRejected("The token is missing signing parameters") from None
    if service != "dsql" or terminator != "aws4_request":
        raise TokenRejected(f"Credential should be scoped to correct service: 'dsql', not {service!r}")
    if scope_region != region:
        raise TokenRejected(f"Credential should be scoped to a valid region, not '{scope_region}'")
    if access_key not in secrets:
        raise TokenRejected("The security token included in the request is invalid")
    if now > stamp + dt.timedelta(seconds=expires):
        expired_at = (stamp + dt.timedelta(seconds=expires)).strftime("%Y%m%dT%H%M%SZ")
        raise TokenRejected(f"Signature expired: {expired_at} is now earlier than {now.strftime('%Y%m%dT%H%M%SZ')}")
    if stamp > now + dt.timedelta(minutes=5):
        raise TokenRejected("Signature not yet current")
    canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(pairs) if k != "X-Amz-Signature")
    signed_headers = params.get("X-Amz-SignedHeaders", "host")
    if signed_headers != "host":
        raise TokenRejected("Only the host header may be signed")
    candidates = []
    for payload in ("UNSIGNED-PAYLOAD", hashlib.sha256(b"").hexdigest()):
        canonical = "\n".join(["GET", "/", canonical_query, f"host:{host}\n", signed_headers, payload])
        scope = f"{date}/{scope_region}/{service}/aws4_request"
        to_sign = "\n".join(
            ["AWS4-HMAC-SHA256", params["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()]
        )
        key = _sign(("AWS4" + secrets[access_key]).encode(), date)
        for part in (scope_region, service, "aws4_request"):
            key = _sign(key, part)
        candidates.append(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest())
    if signature not in candidates:
        raise TokenRejected("The request signature we calculated does not match the signature you provided")
