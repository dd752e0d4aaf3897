"""DSQL206 alter-type: ALTER TYPE is not supported by DSQL."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule


class AlterType(TaggedStatementRule):
    """Flags ALTER TYPE in every form (ADD VALUE, RENAME, OWNER TO ...)."""

    code: ClassVar[str] = "DSQL206"
    name: ClassVar[str] = "alter-type"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "ALTER TYPE is not supported by DSQL"
    help: ClassVar[str] = (
        "DSQL has no user-defined types to alter; if the type models allowed values, "
        "change the CHECK constraint or the lookup table instead"
    )
    tags: ClassVar[frozenset[str]] = frozenset({"ALTER TYPE"})

    def message_for(self, stmt: Statement, name: str) -> str:
        return f"type `{name}` cannot be altered: DSQL answers `ALTER TYPE not supported`"
