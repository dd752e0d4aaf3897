"""An in-memory schema built by replaying the up path in migration order.

It knows tables (columns with their declared types, key constraints, indexes),
schemas, sequences and views, and which async index builds were started in the
current file and not yet waited for. It is deliberately forgiving: a change to an
object it has never seen (created outside the linted folder) creates a stub rather
than failing, so limits are counted from what the migrations show.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dsql_lint.migrations.summary import Change
from dsql_lint.records import NEW, Record

_N = TypeVar("_N")

#: A table's indexes before its first (one shared empty set).
_NO_INDEXES: frozenset[str] = frozenset()

#: Schemas DSQL does not count toward its limit of 10.
BUILTIN_SCHEMAS = frozenset({"public", "sys", "pg_catalog", "information_schema"})


@dataclass(init=False, repr=False, eq=False, slots=True)  # no generated code (dsql_lint.records)
class Table(Record):
    """A table: columns in order, key constraints and secondary indexes (all count toward DSQL's 24).

    Slots, and no index set until the first index: a folder's model holds every table its
    migrations made (29,000 for the 10,000-file benchmark folder, 9 MB less this way).
    """

    name: str
    columns: dict[str, str] = field(default_factory=dict)
    constraints: list[tuple[str, str]] = field(default_factory=list)  # (name, "primary_key" | "unique")
    indexes: AbstractSet[str] = field(default_factory=frozenset)

    def __init__(
        self,
        name: str,
        columns: dict[str, str] = NEW,
        constraints: list[tuple[str, str]] = NEW,
        indexes: AbstractSet[str] = NEW,
    ) -> None:
        self.name = name
        self.columns = {} if columns is NEW else columns
        self.constraints = [] if constraints is NEW else constraints
        self.indexes = _NO_INDEXES if indexes is NEW else indexes

    @property
    def index_count(self) -> int:
        """Indexes as DSQL counts them: the primary key, UNIQUE constraints and every CREATE INDEX."""
        return len(self.constraints) + len(self.indexes)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class BuildingIndex(Record):
    """An async index build started in the file being replayed and not waited for yet."""

    name: str
    table: str
    unique: bool
    path: str
    line: int

    def __init__(self, name: str, table: str, unique: bool, path: str, line: int) -> None:
        self.name = name
        self.table = table
        self.unique = unique
        self.path = path
        self.line = line


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class SchemaModel(Record):
    """The schema after the changes replayed so far."""

    tables: dict[str, Table] = field(default_factory=dict)
    schemas: set[str] = field(default_factory=set)
    sequences: set[str] = field(default_factory=set)
    views: set[str] = field(default_factory=set)
    index_table: dict[str, str] = field(default_factory=dict)
    building: dict[str, BuildingIndex] = field(default_factory=dict)
    #: What a folder rule keeps along one replay, under its code (:meth:`notes_of`).
    notes: dict[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        tables: dict[str, Table] = NEW,
        schemas: set[str] = NEW,
        sequences: set[str] = NEW,
        views: set[str] = NEW,
        index_table: dict[str, str] = NEW,
        building: dict[str, BuildingIndex] = NEW,
        notes: dict[str, Any] = NEW,
    ) -> None:
        self.tables = {} if tables is NEW else tables
        self.schemas = set() if schemas is NEW else schemas
        self.sequences = set() if sequences is NEW else sequences
        self.views = set() if views is NEW else views
        self.index_table = {} if index_table is NEW else index_table
        self.building = {} if building is NEW else building
        self.notes = {} if notes is NEW else notes

    def table(self, name: str) -> Table:
        """The table called ``name``, created as a stub if the migrations never created it."""
        found = self.tables.get(name)
        if found is None:
            found = self.tables[name] = Table(name)
        return found

    def notes_of(self, code: str, make: Callable[[], _N]) -> _N:
        """Rule ``code``'s own state for this replay, made by ``make`` on first use: a visitor
        (:class:`dsql_lint.rules.api.FolderRule`) keeps what it learns from earlier changes here, so
        two replays (two runs, or two folders) never share it."""
        found = self.notes.get(code)
        if found is None:
            found = self.notes[code] = make()
        return found

    def start_file(self) -> None:
        """A new migration file starts: async builds of earlier files are assumed finished."""
        self.building.clear()

    def apply(self, change: Change, path: str = "") -> None:
        """Replay one change."""
        handler = APPLY.get(change.kind)
        if handler is not None:
            handler(self, change, path)

    def _apply_create_table(self, c: Change, path: str) -> None:
        if c.name in self.tables and "if_not_exists" in c.flags:
            return
        table = self.tables[c.name] = Table(c.name)
        table.columns.update(c.columns)

    def _apply_drop_table(self, c: Change, path: str) -> None:
        table = self.tables.pop(c.name, None)
        if table is not None:
            for idx in table.indexes:
                self.index_table.pop(idx, None)

    def _apply_rename_table(self, c: Change, path: str) -> None:
        table = self.tables.pop(c.table, None) or Table(c.table)
        new = c.name if "." in c.name or "." not in c.table else f"{c.table.rsplit('.', 1)[0]}.{c.name}"
        table.name = new
        self.tables[new] = table
        for idx in table.indexes:
            self.index_table[idx] = new

    def _apply_add_column(self, c: Change, path: str) -> None:
        self.table(c.table).columns.update(c.columns)

    def _apply_drop_column(self, c: Change, path: str) -> None:
        self.table(c.table).columns.pop(c.name, None)

    def _apply_rename_column(self, c: Change, path: str) -> None:
        table = self.table(c.table)
        old = c.columns[0][0] if c.columns else ""
        if old in table.columns:
            table.columns = {(c.name if k == old else k): v for k, v in table.columns.items()}

    def _apply_add_unique(self, c: Change, path: str) -> None:
        kind = "primary_key" if "primary_key" in c.flags else "unique"
        self.table(c.table).constraints.append((c.name, kind))

    def _apply_drop_constraint(self, c: Change, path: str) -> None:
        table = self.table(c.table)
        table.constraints = [k for k in table.constraints if k[0] != c.name or not c.name]

    def _apply_create_index(self, c: Change, path: str) -> None:
        if c.name in self.index_table and "if_not_exists" in c.flags:
            return
        table = self.table(c.table)
        indexes = table.indexes
        if not isinstance(indexes, set):  # the table's first index
            indexes = table.indexes = set(indexes)
        indexes.add(c.name)
        self.index_table[c.name] = c.table
        if "async" in c.flags:
            self.building[c.name] = BuildingIndex(c.name, c.table, "unique" in c.flags, path, c.line)

    def _apply_drop_index(self, c: Change, path: str) -> None:
        table = self.index_table.pop(c.name, None)
        if table is not None and table in self.tables:
            indexes = self.tables[table].indexes
            if c.name in indexes:
                assert isinstance(indexes, set)  # (added by _apply_create_index)
                indexes.discard(c.name)
        self.building.pop(c.name, None)

    def _apply_create_schema(self, c: Change, path: str) -> None:
        self.schemas.add(c.name)

    def _apply_drop_schema(self, c: Change, path: str) -> None:
        self.schemas.discard(c.name)

    def _apply_create_sequence(self, c: Change, path: str) -> None:
        self.sequences.add(c.name)

    def _apply_drop_sequence(self, c: Change, path: str) -> None:
        self.sequences.discard(c.name)

    def _apply_create_view(self, c: Change, path: str) -> None:
        self.views.add(c.name)

    def _apply_drop_view(self, c: Change, path: str) -> None:
        self.views.discard(c.name)

    def _apply_wait_for_job(self, c: Change, path: str) -> None:
        self.building.clear()

    @property
    def user_schemas(self) -> set[str]:
        """Schemas that count toward DSQL's limit (``public`` and ``sys`` do not)."""
        return {s for s in self.schemas if s not in BUILTIN_SCHEMAS}


#: ``Change.kind`` -> the SchemaModel method that replays it (every folder rule replays every change).
APPLY: dict[str, Callable[[SchemaModel, Change, str], None]] = {
    name.removeprefix("_apply_"): method for name, method in vars(SchemaModel).items() if name.startswith("_apply_")
}
