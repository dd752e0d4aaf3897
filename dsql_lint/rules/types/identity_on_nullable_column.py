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

#: What the migrations say of a column: (nullable, file, line where it was made so).
_State = tuple[bool, str, int]
#: A NOT NULL column (where it was made so is never reported).
_NOT_NULL = (False, "", 0)


class _Columns:
    """What the migrations say about one table's columns, compactly: a folder's replay keeps one for
    every table its files create (29,000 for the 10,000-file benchmark folder, whose tables as a
    dict of their columns each took 12 MB).

    The columns of ``CREATE TABLE`` share one place (``made``); which of them are NOT NULL, or gone
    (dropped, renamed away), are bits. A column with a state of its own (``ADD COLUMN``, ``DROP NOT
    NULL``, the new name of a rename) is in ``own``, which wins over the bits.
    """

    __slots__ = ("gone", "made", "names", "not_null", "own")

    def __init__(self, names: tuple[str, ...], made: _State) -> None:
        self.names = names
        self.made = made
        self.not_null = 0  # bit i: names[i] is NOT NULL
        self.gone = 0  # bit i: names[i] was dropped or renamed away
        self.own: dict[str, _State] | None = None

    def _created(self, name: str) -> int:
        """The bit of ``name`` among the CREATE's columns not gone; 0 if none."""
        try:
            bit = 1 << self.names.index(name)
        except ValueError:
            return 0
        return 0 if self.gone & bit else bit

    def get(self, name: str) -> _State | None:
        own = self.own
        if own is not None and name in own:
            return own[name]
        bit = self._created(name)
        if not bit:
            return None
        return _NOT_NULL if self.not_null & bit else self.made

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def make_not_null(self, names: Iterable[str]) -> None:
        """Mark the known columns among ``names`` NOT NULL (one call for a statement's columns)."""
        own = self.own
        index = self.names.index
        bits = 0
        for name in names:
            if own is not None and name in own:
                own[name] = _NOT_NULL
                continue
            try:
                bits |= 1 << index(name)
            except ValueError:
                continue
        self.not_null |= bits & ~self.gone

    def set(self, name: str, state: _State) -> None:
        """Give ``name`` a state of its own (it wins over what the CREATE made it)."""
        if self.own is None:
            self.own = {}
        self.own[name] = state

    def pop(self, name: str) -> _State | None:
        state = self.get(name)
        if self.own is not None:
            self.own.pop(name, None)
        self.gone |= self._created(name)
        return state


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
            names = tuple([name for name, _ in change.columns])
            tables[change.table] = _Columns(names, (True, entry.path, change.line))
        elif kind == "not_null":
            columns = tables.get(change.table)
            if columns:
                columns.make_not_null([name for name, _ in change.columns])
        elif (kind == "add_column" and change.table in tables) or (
            kind == "drop_not_null" and change.table in tables and change.name in tables[change.table]
        ):  # ADD COLUMN takes no NOT NULL on DSQL: both leave the column nullable
            tables[change.table].set(change.name, (True, entry.path, change.line))
        elif kind == "drop_column":
            if change.table in tables:
                tables[change.table].pop(change.name)
        elif kind == "drop_table":
            tables.pop(change.name, None)
        elif kind == "rename_table" and change.table in tables:
            tables[_renamed(change.table, change.name)] = tables.pop(change.table)
        elif kind == "rename_column" and change.columns and change.table in tables:
            columns = tables[change.table]
            state = columns.pop(change.columns[0][0])
            if state is not None:
                columns.set(change.name, state)
        elif kind == "add_identity" and entry.reported:
            columns = tables.get(change.table)
            known = columns.get(change.name) if columns is not None else None
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
