"""DSQL116 identity-on-nullable-column: ADD GENERATED ... AS IDENTITY needs a NOT NULL column."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule

if TYPE_CHECKING:
    from dsql_lint.migrations.folder import FolderEntry
    from dsql_lint.migrations.schema import SchemaModel
    from dsql_lint.migrations.summary import Change

#: What the migrations say about a table's columns: column -> (nullable, file, line where it was made so).
_Columns = dict[str, tuple[bool, str, int]]
#: A NOT NULL column (where it was made so is never reported).
_NOT_NULL = (False, "", 0)


class IdentityOnNullableColumn(FolderRule):
    """Flags ``ALTER TABLE t ALTER COLUMN c ADD GENERATED ... AS IDENTITY`` when the migrations (this
    file or an earlier one) created ``c`` nullable: no NOT NULL and not part of the primary key, or
    added it with ``ADD COLUMN`` (DSQL's ADD COLUMN takes no NOT NULL), or dropped its NOT NULL.

    A column whose creation is not in the linted files is not known: it is not flagged. DSQL cannot
    make a column NOT NULL later (``SET NOT NULL`` is DSQL403's).
    """

    code: ClassVar[str] = "DSQL116"
    name: ClassVar[str] = "identity-on-nullable-column"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A column must be NOT NULL before it can become an identity column"
    help: ClassVar[str] = (
        "declare the column NOT NULL (or part of the primary key) where the table is created; "
        "DSQL cannot add NOT NULL to an existing column"
    )

    kinds: ClassVar[frozenset[str]] = frozenset(
        {
            "create_table", "not_null", "add_column", "drop_not_null", "drop_column",
            "drop_table", "rename_table", "rename_column", "add_identity",
        }
    )  # fmt: skip

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        # A plain function, not a generator: it is called for most changes of a folder and reports
        # almost never (a generator per call was most of its cost).
        tables: dict[str, _Columns] = model.notes_of(self.code, dict)  # table -> what its columns are
        kind = change.kind
        if kind == "create_table":
            if "if_not_exists" in change.flags and change.table in tables:
                return ()  # nothing happens when it exists
            made = (True, entry.path, change.line)  # one tuple for every column: it is never changed in place
            tables[change.table] = dict.fromkeys([name for name, _ in change.columns], made)
        elif kind == "not_null":
            columns = tables.get(change.table)
            if columns:
                for name, _ in change.columns:
                    if name in columns:
                        columns[name] = _NOT_NULL
        elif (kind == "add_column" and change.table in tables) or (
            kind == "drop_not_null" and change.name in tables.get(change.table, {})
        ):  # ADD COLUMN takes no NOT NULL on DSQL: both leave the column nullable
            tables[change.table][change.name] = (True, entry.path, change.line)
        elif kind == "drop_column":
            tables.get(change.table, {}).pop(change.name, None)
        elif kind == "drop_table":
            tables.pop(change.name, None)
        elif kind == "rename_table" and change.table in tables:
            tables[_renamed(change.table, change.name)] = tables.pop(change.table)
        elif kind == "rename_column" and change.columns and change.table in tables:
            columns = tables[change.table]
            old = change.columns[0][0]
            if old in columns:
                columns[change.name] = columns.pop(old)
        elif kind == "add_identity" and entry.reported:
            known = tables.get(change.table, {}).get(change.name)
            if known is None or not known[0]:
                return ()
            _, path, line = known
            where = f"line {line}" if path == entry.path else f"line {line} of {path}"
            return self.at_change(
                entry,
                change,
                message=f"column `{change.name}` of `{change.table}` is nullable (made so on {where}), and an "
                'identity column must be NOT NULL (PostgreSQL: `column "..." of relation "..." must be '
                "declared NOT NULL before identity can be added`)",
            )
        return ()


def _renamed(table: str, new: str) -> str:
    """A table's name after ``ALTER TABLE table RENAME TO new`` (the schema stays)."""
    schema, _, _ = table.rpartition(".")
    return f"{schema}.{new}" if schema and "." not in new else new
