"""ALTER ROLE anatomy shared by the role rules."""

from __future__ import annotations

from dataclasses import dataclass

from dsql_lint.model import Statement
from dsql_lint.records import Record


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class AlterRole(Record):
    """``ALTER ROLE|USER|GROUP name <rest>``: the role name token and where the rest starts."""

    name_index: int
    rest: int

    def __init__(self, name_index: int, rest: int) -> None:
        self.name_index = name_index
        self.rest = rest


def alter_role(stmt: Statement) -> AlterRole | None:
    """View ``ALTER ROLE name ...`` / ``ALTER USER name ...`` (not ``ALTER USER MAPPING``), else None."""
    if stmt.tag not in ("ALTER ROLE", "ALTER USER") or len(stmt.tokens) < 4:
        return None
    return AlterRole(2, 3)
