"""DSQL350 depends-on-building-index: relying on an async index build that may still be running."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule


class DependsOnBuildingIndex(FolderRule):
    """Flags ON CONFLICT and ADD CONSTRAINT ... USING INDEX that need an index created ASYNC in the same file."""

    code: ClassVar[str] = "DSQL350"
    name: ClassVar[str] = "depends-on-building-index"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = (
        "A statement relies on a CREATE INDEX ASYNC of the same migration that may still be building"
    )
    help: ClassVar[str] = (
        "wait for the build first (CALL sys.wait_for_job('<job_id>') after the CREATE INDEX ASYNC), "
        "or move this statement to a later migration"
    )

    kinds: ClassVar[frozenset[str]] = frozenset({"on_conflict", "using_index"})

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterator[Diagnostic]:
        if change.kind == "on_conflict":
            building = [
                b for b in model.building.values() if b.unique and b.table == change.table and b.path == entry.path
            ]
            if building:
                b = building[0]
                yield self.report(
                    entry.source,
                    change.start,
                    change.end,
                    message=f"ON CONFLICT on `{change.table}` needs the unique index `{b.name}`, created ASYNC "
                    f"on line {b.line} of this migration and possibly still building: until the job finishes "
                    "the index is not valid and the statement fails",
                )
        elif change.kind == "using_index":
            b2 = model.building.get(change.name)
            if b2 is not None and b2.path == entry.path:
                yield self.report(
                    entry.source,
                    change.start,
                    change.end,
                    message=f"constraint uses index `{b2.name}`, created ASYNC on line {b2.line} of this "
                    "migration and possibly still building; DSQL answers `index is not valid` until it finishes",
                )
