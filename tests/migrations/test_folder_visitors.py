"""Folder rules that declare ``kinds`` and ``visit``: one shared replay, same findings as their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.config.settings import Settings
from dsql_lint.frontend.script import build_script
from dsql_lint.lint.engine import Linter
from dsql_lint.migrations import MigrationFolder, describe, summarize
from dsql_lint.migrations.folder import FolderEntry
from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule
from dsql_lint.rules.registry import all_rules
from dsql_lint.text.source import Source

FILES = (
    "CREATE TABLE a (id int PRIMARY KEY, x int);\nCREATE SCHEMA s1;\n",
    "ALTER TABLE a ADD COLUMN y int;\nCREATE UNIQUE INDEX ASYNC a_x ON a (x);\n"
    "INSERT INTO a VALUES (1, 2, 3) ON CONFLICT (x) DO NOTHING;\n",
    "UPDATE a SET x = 1;\nDELETE FROM a;\nINSERT INTO a SELECT * FROM a;\nCREATE TABLE b (id int);\n",
)


def _folder() -> MigrationFolder:
    entries = []
    for n, text in enumerate(FILES, 1):
        source = Source(f"V{n}__m.sql", text)
        entries.append(FolderEntry(source, describe(source.path, "flyway"), summarize(build_script(source))))
    return MigrationFolder(entries)


class CountsTables(FolderRule):
    """Reports every CREATE TABLE with the table count right after it (a test rule)."""

    code: ClassVar[str] = "TEST901"
    name: ClassVar[str] = "counts-tables"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "counts tables"
    kinds: ClassVar[frozenset[str]] = frozenset({"create_table"})
    seen: ClassVar[list[str]] = []

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterator[Diagnostic]:
        type(self).seen.append(change.kind)
        yield self.report(entry.source, change.start, change.end, message=f"table {len(model.tables)}")


class Crashes(FolderRule):
    """Raises on its first change (a test rule)."""

    code: ClassVar[str] = "TEST902"
    name: ClassVar[str] = "crashes"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "crashes"
    kinds: ClassVar[frozenset[str]] = frozenset({"create_table", "add_column"})

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterator[Diagnostic]:
        raise RuntimeError("boom")


def _shape(found: list[Diagnostic]) -> list[tuple[object, ...]]:
    return sorted((d.path, d.line, d.column, d.code, d.message) for d in found)


def test_a_visitor_sees_only_its_kinds_with_the_model_right_after_the_change() -> None:
    CountsTables.seen.clear()
    found = Linter(rules=[CountsTables()]).lint_folder(_folder())
    assert CountsTables.seen == ["create_table", "create_table"]
    assert [d.message for d in found] == ["table 1", "table 2"]


def test_the_shared_replay_finds_what_each_rule_finds_replaying_alone() -> None:
    folder_rules = [r() for r in all_rules() if issubclass(r, FolderRule)]
    visitors = [r for r in folder_rules if r.kinds is not None]
    assert len(visitors) >= 7  # the built-in history rules use the shared replay
    shared = Linter(Settings(preset="all"), rules=folder_rules).lint_folder(_folder())
    alone = [d for r in folder_rules for d in r.check(_folder(), Context(options={}))]
    assert _shape(shared) == _shape(alone)
    assert {d.code for d in shared} >= {"DSQL350", "DSQL826", "DSQL825"}


def test_a_crashing_visitor_is_reported_once_and_the_others_go_on() -> None:
    CountsTables.seen.clear()
    found = Linter(rules=[Crashes(), CountsTables()]).lint_folder(_folder())
    crashes = [d for d in found if d.code == "DSQL000"]
    assert len(crashes) == 1 and "TEST902" in crashes[0].message and "boom" in crashes[0].message
    assert sorted(d.message for d in found if d.code == "TEST901") == ["table 1", "table 2"]
