"""DSQL415 drop-named-primary-key: dropping a constraint the migrations created as the primary key."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule

if TYPE_CHECKING:
    from dsql_lint.migrations.folder import FolderEntry
    from dsql_lint.migrations.schema import SchemaModel
    from dsql_lint.migrations.summary import Change


class DropNamedPrimaryKey(FolderRule):
    """Flags ``ALTER TABLE t DROP CONSTRAINT c`` when an earlier statement of the migrations made ``c``
    the primary key of ``t`` under a name of its own (``CONSTRAINT c PRIMARY KEY (...)``).

    The default name ``t_pkey`` is DSQL414's, which needs no history.
    """

    code: ClassVar[str] = "DSQL415"
    name: ClassVar[str] = "drop-named-primary-key"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "The dropped constraint is the table's primary key, which DSQL cannot remove"
    help: ClassVar[str] = (
        "keep the key; to change it, create a new table with the new key, copy the rows in batches "
        "of at most 3,000, and swap the names"
    )

    kinds: ClassVar[frozenset[str]] = frozenset({"add_unique", "drop_table", "drop_constraint"})

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        keys: dict[tuple[str, str], tuple[str, int]] = model.notes_of(self.code, dict)  # (table, name) -> where
        if change.kind == "add_unique" and "primary_key" in change.flags and change.name:
            keys[(change.table, change.name)] = (entry.path, change.line)
        elif change.kind == "drop_table":
            for key in [k for k in keys if k[0] == change.name]:
                del keys[key]
        elif change.kind == "drop_constraint" and entry.reported:
            made = keys.get((change.table, change.name))
            if made is None or change.name == f"{change.table.rsplit('.', 1)[-1]}_pkey":
                return ()
            where = f"line {made[1]} of this file" if made[0] == entry.path else f"line {made[1]} of {made[0]}"
            return self.at_change(
                entry,
                change,
                message=f"`{change.name}` is the primary key of `{change.table}` (made on {where}), "
                "and DSQL cannot remove a primary key",
            )
        return ()  # a plain function, not a generator: it is called for every key a folder makes
