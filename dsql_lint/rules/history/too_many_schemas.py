"""DSQL822 too-many-schemas: at most 10 schemas besides public and sys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule

LIMIT = 10


class TooManySchemas(FolderRule):
    """Flags the CREATE SCHEMA that takes the cluster past 10 schemas."""

    code: ClassVar[str] = "DSQL822"
    name: ClassVar[str] = "too-many-schemas"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A cluster may have at most 10 schemas besides public and sys"
    help: ClassVar[str] = "put these tables in an existing schema, or drop a schema that is no longer used"

    kinds: ClassVar[frozenset[str]] = frozenset({"create_schema"})

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterator[Diagnostic]:
        if change.kind != "create_schema":
            return
        count = len(model.user_schemas)
        if count <= LIMIT:
            return
        yield self.report(
            entry.source,
            change.start,
            change.end,
            message=f"schema `{change.name}` is schema number {count} created by the migrations; "
            f"DSQL allows at most {LIMIT} (public and sys not counted)",
        )
