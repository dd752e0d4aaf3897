"""IAM tokens: boto3's DSQL token generators through the normal AWS credential chain."""

from __future__ import annotations

import time
from typing import Any

from dsql_lint.live.config import LiveConfig
from dsql_lint.live.errors import LiveError, redact


class TokenSource:
    """Makes a fresh token for every new connection; never logs or returns it anywhere but the driver."""

    def __init__(self, cfg: LiveConfig) -> None:
        self.cfg = cfg
        self._session: Any = None
        self._client: Any = None
        self.issued: list[str] = []  # tokens handed out, so error messages can be scrubbed of them
        self.last_issued_at = 0.0

    def session(self) -> Any:
        """The boto3 session (named profile or the default chain)."""
        if self._session is None:
            import boto3
            from botocore.exceptions import BotoCoreError

            try:
                self._session = boto3.Session(profile_name=self.cfg.profile, region_name=self.cfg.region)
            except BotoCoreError as exc:
                raise LiveError(f"cannot use AWS profile {self.cfg.profile!r}: {exc}") from None
        return self._session

    def credentials_method(self) -> str:
        """Where the credentials come from (``env``, ``shared-credentials-file`` ...); LiveError when none."""
        from botocore.exceptions import BotoCoreError

        try:
            creds = self.session().get_credentials()
        except BotoCoreError as exc:
            raise LiveError(f"cannot load AWS credentials: {redact(str(exc))}") from None
        if creds is None:
            raise LiveError(
                "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
                "run `aws configure` or `aws sso login`, or pass --profile"
            )
        return str(getattr(creds, "method", "unknown"))

    def token(self) -> str:
        """A new token: DbConnectAdmin for ``admin``, DbConnect for any other role."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        self.credentials_method()
        try:
            if self._client is None:
                self._client = self.session().client("dsql", region_name=self.cfg.region)
            generate = (
                self._client.generate_db_connect_admin_auth_token
                if self.cfg.is_admin
                else self._client.generate_db_connect_auth_token
            )
            token = str(generate(Hostname=self.cfg.endpoint, Region=self.cfg.region, ExpiresIn=self.cfg.token_duration))
        except NoCredentialsError:
            raise LiveError("no AWS credentials found: set AWS_PROFILE or AWS access keys, or pass --profile") from None
        except (BotoCoreError, ClientError) as exc:
            raise LiveError(f"cannot generate an IAM token: {redact(str(exc))}") from None
        self.issued.append(token)
        self.last_issued_at = time.monotonic()
        return token
