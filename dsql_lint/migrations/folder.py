"""The folder pass: migration files in order, and the schema replayed through them.

A :class:`dsql_lint.rules.api.FolderRule` receives a :class:`MigrationFolder` and usually
iterates :meth:`MigrationFolder.replay`, which yields every change after applying it
to a fresh :class:`SchemaModel`, so a rule sees the schema as it is right after the
statement it is looking at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from dsql_lint.migrations.files import MigrationFile
from dsql_lint.migrations.schema import APPLY, SchemaModel
from dsql_lint.migrations.summary import Change, FileSummary
from dsql_lint.records import NEW, Record
from dsql_lint.text.source import Source


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class FolderEntry(Record):
    """One file of the folder: its source (for positions), its migration view and its summary.

    ``reported`` is False for files replayed only to build the schema (``--diff-base``):
    findings in them are dropped.
    """

    source: Source
    migration: MigrationFile
    summary: FileSummary
    reported: bool = True

    def __init__(self, source: Source, migration: MigrationFile, summary: FileSummary, reported: bool = True) -> None:
        self.source = source
        self.migration = migration
        self.summary = summary
        self.reported = reported

    @property
    def path(self) -> str:
        """The file's display path."""
        return self.source.path


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class MigrationFolder(Record):
    """Files in the order the migration tool applies them."""

    entries: list[FolderEntry] = field(default_factory=list)

    def __init__(self, entries: list[FolderEntry] = NEW) -> None:
        self.entries = [] if entries is NEW else entries

    def changes(self) -> Iterator[tuple[FolderEntry, Change]]:
        """Every change of every file, in order, for rules that do not need the schema (no replay: cheaper)."""
        for entry in self.entries:
            for change in entry.summary.changes:
                yield entry, change

    def replay(self) -> Iterator[tuple[FolderEntry, Change, SchemaModel]]:
        """Every change of every up-path file, in order, after applying it to the schema model."""
        model = SchemaModel()
        handlers = APPLY  # SchemaModel.apply's dispatch, inlined: one call less per change
        for entry in self.entries:
            model.start_file()
            changes = entry.summary.changes
            if not (entry.migration.is_up and entry.migration.role != "baseline"):
                for change in changes:
                    yield entry, change, model
                continue
            path = entry.path
            for change in changes:
                handler = handlers.get(change.kind)
                if handler is not None:
                    handler(model, change, path)
                yield entry, change, model
