"""DSQL205 create-type: DSQL has no user-defined enum, composite or range types."""

from __future__ import annotations

from typing import ClassVar

from dsql_lint.model import Severity, Statement
from dsql_lint.rules.objects._common import TaggedStatementRule
from dsql_lint.rules.types.user_defined_type_column import created_type

ANSWERS = {
    "enum": "CREATE TYPE not supported",
    "composite": "unsupported statement: CompositeType",
    "range": "unsupported statement: CreateRange",
}


class CreateType(TaggedStatementRule):
    """Flags CREATE TYPE (enum, composite, range, base or shell type); CREATE DOMAIN is fine."""

    code: ClassVar[str] = "DSQL205"
    name: ClassVar[str] = "create-type"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "CREATE TYPE is not supported by DSQL"
    help: ClassVar[str] = (
        "use text (or varchar) with a CHECK constraint or a lookup table instead of an enum, separate columns "
        "instead of a composite type, and two bound columns instead of a range; CREATE DOMAIN is supported"
    )
    tags: ClassVar[frozenset[str]] = frozenset({"CREATE TYPE"})

    def message_for(self, stmt: Statement, name: str) -> str:
        made = created_type(stmt)
        kind, answer = ("", "CREATE TYPE not supported") if made is None else (made[1] + " ", ANSWERS[made[1]])
        return f"{kind}type `{name}` cannot be created: DSQL supports no user-defined types (it answers `{answer}`)"
