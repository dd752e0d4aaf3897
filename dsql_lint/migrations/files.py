"""What a migration file is: its tool, its role (up, down, undo ...) and its place in the tool's order.

Everything here is decided from file names, folder layout and a glance at the text;
nothing is parsed. The result, :class:`MigrationFile`, is a small picklable value
that travels with a file through the pipeline (and belongs in a cache key).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from dsql_lint.records import FrozenRecord

#: Every format name accepted by ``--format-of-migrations`` and the ``migrations`` setting.
FORMATS = (
    "auto",
    "flyway",
    "golang-migrate",
    "golang-migrate-multi-statement",
    "goose",
    "dbmate",
    "sqitch",
    "prisma",
    "drizzle",
    "supabase",
    "diesel",
    "sqlx",
    "alembic",
    "django",
    "liquibase",
    "plain",
)

#: How each format is named in messages and summaries.
TOOL_NAMES = {
    "flyway": "Flyway",
    "golang-migrate": "golang-migrate",
    "golang-migrate-multi-statement": "golang-migrate (x-multi-statement)",
    "goose": "goose",
    "dbmate": "dbmate",
    "sqitch": "sqitch",
    "prisma": "Prisma Migrate",
    "drizzle": "Drizzle",
    "supabase": "Supabase CLI",
    "diesel": "Diesel",
    "sqlx": "sqlx",
    "alembic": "Alembic",
    "django": "Django",
    "liquibase": "Liquibase",
    "plain": "plain SQL",
}

#: Roles that belong to the up path (linted and replayed by default).
UP_ROLES = frozenset({"up", "versioned", "repeatable", "baseline", "deploy", "script"})
#: Roles that are only linted with ``--include-down``.
DOWN_ROLES = frozenset({"down", "undo", "revert"})

_FLYWAY = re.compile(r"^(?P<prefix>[VUB])(?P<version>[0-9][0-9._]*?)__(?P<desc>.*)\.sql$")
_FLYWAY_REPEATABLE = re.compile(r"^R__(?P<desc>.*)\.sql$")
_GOLANG_MIGRATE = re.compile(r"^(?P<version>[0-9]+)_(?P<desc>.*)\.(?P<direction>up|down)\.sql$")
_NUMBERED = re.compile(r"^(?P<version>[0-9]+)(?:_(?P<desc>.*))?\.sql$")
#: sqlx: ``<VERSION>_<DESCRIPTION>.sql``, reversible ``.up.sql`` / ``.down.sql`` (sqlx-core migrate/source.rs).
_SQLX = re.compile(r"^(?P<version>[0-9]+)_(?P<desc>.*?)(?:\.(?P<direction>up|down))?\.sql$")
#: A Prisma or Diesel migration folder: ``20240101000000_init``, ``2024-01-01-000000_create_users``.
_MIGRATION_FOLDER = re.compile(r"^[0-9][0-9-]*_")
#: Supabase CLI: ``<version>_<name>.sql`` (``migrateFilePattern`` in the CLI's pkg/migration/file.go).
_SUPABASE = re.compile(r"^[0-9]+_.*\.sql$")
_SQLX_MARKERS = (
    "-- no-transaction",
    "-- Add migration script here",
    "-- Add up migration script here",
    "-- Add down migration script here",
)
_DRIZZLE_BREAKPOINT = "--> statement-breakpoint"

_DIGIT_RUNS = re.compile(r"(\d+)")
_VERSION_DOTS = re.compile(r"[._]")

_GOOSE_UP = re.compile(r"^--\s*\+goose\s+up\b", re.IGNORECASE | re.MULTILINE)
_DBMATE_UP = re.compile(r"^--\s*migrate:up\b", re.MULTILINE)
_LIQUIBASE = re.compile(r"^\s*--\s*liquibase\s+formatted\s+sql\b", re.IGNORECASE)
_ALEMBIC = re.compile(r"^(--\s*Running upgrade\b|.*\balembic_version\b)", re.MULTILINE)
#: The operations ``manage.py sqlmigrate`` writes as ``--\n-- <operation> ...`` headers.
_DJANGO_OPERATIONS = (
    "Create model",
    "Add field",
    "Alter field",
    "Remove field",
    "Delete model",
    "Rename field",
    "Create index",
    "Remove index",
    "Add constraint",
    "Remove constraint",
    "Raw SQL operation",
    "Alter unique_together",
    "Alter index_together",
    "Rename model",
    "Custom state/database",
)
_DJANGO_HEADER = re.compile(r"^--\n-- ", re.MULTILINE)


def _has_django_header(text: str) -> bool:
    """True when a line ``--`` is followed by ``-- <operation>`` ending at a word boundary.

    What ``re.search(r"^--\n-- (Create model|Add field|...)\b", text, re.MULTILINE)`` finds,
    without compiling that alternation (about 4 ms, paid by every run that reads a file's text).
    """
    for m in _DJANGO_HEADER.finditer(text):
        at = m.end()
        if not text.startswith(_DJANGO_OPERATIONS, at):
            continue
        for operation in _DJANGO_OPERATIONS:
            if text.startswith(operation, at):
                after = at + len(operation)
                if after == len(text) or not (text[after].isalnum() or text[after] == "_"):
                    return True
    return False


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class MigrationFile(FrozenRecord):
    """One file as its migration tool sees it.

    ``role`` is ``up``/``down`` (golang-migrate, goose, dbmate sections), ``versioned``,
    ``undo``, ``repeatable`` or ``baseline`` (Flyway), ``deploy``/``revert``/``verify``
    (sqitch) or ``script`` (everything else). ``order`` sorts files the way the tool
    applies them; ``group`` names the folder the file's tool runs as one history.
    """

    path: str
    format: str
    role: str = "script"
    order: tuple[object, ...] = ()
    group: str = ""

    def __init__(
        self,
        path: str,
        format: str,
        role: str = "script",
        order: tuple[object, ...] = (),
        group: str = "",
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "format", format)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "group", group)

    @property
    def name(self) -> str:
        """The file name without its folder."""
        return os.path.basename(self.path)

    @property
    def is_up(self) -> bool:
        """True when the file belongs to the up path (it is replayed into the schema model)."""
        return self.role in UP_ROLES

    @property
    def is_down(self) -> bool:
        """True for down/undo/revert files, linted only with ``--include-down``."""
        return self.role in DOWN_ROLES

    def cache_key(self) -> str:
        """What, besides the text, changes how the file is linted."""
        return f"{self.format}:{self.role}"


def _natural(text: str) -> tuple[int | str, ...]:
    """Natural sort key: digit runs compare as numbers and before letters (``2`` < ``10`` < ``sub``).

    Each run is three items, ``0, number, ""`` or ``1, 0, lowercased text``, in one flat tuple: it
    orders as the tuple of those triples would (every triple has the same length), and a plan
    keeps one per file (the 10,000-file folder's were 3.9 MB as tuples of tuples).
    """
    key: list[int | str] = []
    for p in _DIGIT_RUNS.split(text):
        if p:
            key += (0, int(p), "") if p.isdecimal() else (1, 0, p.lower())
    return tuple(key)


def flyway_version(text: str) -> tuple[int, ...]:
    """A Flyway version as a comparable tuple: ``1.10`` > ``1.9``, ``1.0`` == ``1``."""
    parts = [int(p) for p in _VERSION_DOTS.split(text) if p.isdecimal()]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


class FolderFacts:
    """Facts about folders that decide a format, each looked up once per folder.

    A Cargo project (sqlx keeps ``migrations/`` beside ``Cargo.toml``), a Drizzle journal
    (``meta/_journal.json`` beside the files, which also gives Drizzle's order) and whether
    a sibling file exists (Prisma's optional ``down.sql`` sits beside ``migration.sql``).
    """

    def __init__(self) -> None:
        self._cargo: dict[str, bool] = {}
        self._journal: dict[str, dict[str, int] | None] = {}

    def cargo_project(self, folder: str) -> bool:
        """True when ``folder`` or one of its three nearest parents holds ``Cargo.toml``."""
        if folder not in self._cargo:
            self._cargo[folder] = any(os.path.isfile(path) for path in cargo_candidates(folder))
        return self._cargo[folder]

    def drizzle_journal(self, folder: str) -> dict[str, int] | None:
        """Drizzle's order (migration tag -> position) from ``folder/meta/_journal.json``; None without one.

        drizzle-orm's ``readMigrationFiles`` (src/migrator.ts) applies ``<tag>.sql`` for each
        journal entry in turn. A journal that cannot be read still marks the folder as
        Drizzle's; its files are then ordered by name, as drizzle-kit numbers them.
        """
        if folder not in self._journal:
            path = os.path.join(folder, "meta", "_journal.json")
            order: dict[str, int] | None = None
            if os.path.isfile(path):
                order = {}
                try:
                    import json

                    with open(path, "rb") as fh:
                        entries = json.loads(fh.read(4 * 1024 * 1024)).get("entries", [])
                    for entry in entries:
                        tag = entry.get("tag") if isinstance(entry, dict) else None
                        if isinstance(tag, str) and tag not in order:
                            order[tag] = len(order)
                except (OSError, ValueError, AttributeError, RecursionError):
                    pass
            self._journal[folder] = order
        return self._journal[folder]

    @staticmethod
    def is_file(path: str) -> bool:
        """True when ``path`` is a regular file (or a link to one)."""
        return os.path.isfile(path)


def cargo_candidates(folder: str) -> list[str]:
    """The ``Cargo.toml`` paths that make ``folder`` part of a Cargo project: in it or its three nearest parents."""
    here = os.path.abspath(folder or ".")
    found = []
    for _ in range(4):
        found.append(os.path.join(here, "Cargo.toml"))
        up = os.path.dirname(here)
        if up == here:
            break
        here = up
    return found


def side_files(folder: str) -> tuple[str, ...]:
    """Files beside a folder of migrations whose presence or content changes how they are linted.

    Diesel's ``metadata.toml``, Drizzle's ``meta/_journal.json``, Prisma's ``migration.sql``
    (which makes a ``down.sql`` Prisma's) and the ``Cargo.toml`` files :class:`FolderFacts`
    looks for. A run record keeps them, so a replay notices when one appears or changes.
    """
    return (
        os.path.join(folder, "metadata.toml"),
        os.path.join(folder, "meta", "_journal.json"),
        os.path.join(folder, "migration.sql"),
        *cargo_candidates(folder),
    )


def guess_format(path: str, text: str, sqitch_root: bool = False, facts: FolderFacts | None = None) -> str:
    """The format one file looks like on its own (names first, then markers in the text)."""
    cargo = facts.cargo_project(os.path.dirname(path)) if facts is not None else False
    return format_by_name(path, sqitch_root, facts) or format_by_text(text, os.path.basename(path), cargo)


def format_by_name(path: str, sqitch_root: bool = False, facts: FolderFacts | None = None) -> str | None:
    """The format :func:`guess_format` reads from the file's place and name alone, or None when the text decides."""
    if sqitch_root:
        return "sqitch"
    name = os.path.basename(path)
    folder = os.path.dirname(path)
    if name in ("migration.sql", "up.sql", "down.sql") and _MIGRATION_FOLDER.match(os.path.basename(folder)):
        # prisma/migrations/<ts>_<name>/migration.sql (and an optional down.sql beside it);
        # Diesel's migrations/<version>_<name>/up.sql and down.sql.
        if name == "migration.sql":
            return "prisma"
        if name == "down.sql" and facts is not None and facts.is_file(os.path.join(folder, "migration.sql")):
            return "prisma"
        return "diesel"
    if _FLYWAY.match(name) or _FLYWAY_REPEATABLE.match(name):
        return "flyway"
    if (
        _SUPABASE.match(name)
        and os.path.basename(folder) == "migrations"
        and os.path.basename(os.path.dirname(folder)) == "supabase"
    ):
        return "supabase"
    if _GOLANG_MIGRATE.match(name):
        # sqlx's reversible migrations are named the same way: a Cargo project decides.
        return "sqlx" if facts is not None and facts.cargo_project(folder) else "golang-migrate"
    if facts is not None and _NUMBERED.match(name) and facts.drizzle_journal(folder) is not None:
        return "drizzle"
    return None


def format_by_text(text: str, name: str = "", cargo_project: bool = False) -> str:
    """The format :func:`guess_format` reads from the markers in the text (its name said nothing)."""
    head = text[:200_000]
    if _LIQUIBASE.match(head):
        return "liquibase"
    if _GOOSE_UP.search(head):
        return "goose"
    if _DBMATE_UP.search(head):
        return "dbmate"
    if _ALEMBIC.search(head):
        return "alembic"
    if _has_django_header(head):
        return "django"
    if _DRIZZLE_BREAKPOINT in head:
        return "drizzle"
    if name and _SQLX.match(name) and (cargo_project or head.startswith(_SQLX_MARKERS)):
        return "sqlx"
    return "plain"


def describe(path: str, fmt: str, group: str = "", plan_index: dict[str, int] | None = None) -> MigrationFile:
    """The role and order of ``path`` under format ``fmt``."""
    name = os.path.basename(path)
    if fmt == "flyway":
        m = _FLYWAY.match(name)
        if m:
            role = {"V": "versioned", "U": "undo", "B": "baseline"}[m["prefix"]]
            # Baselines sort just before the versioned migration of the same version.
            rank = 0 if role == "baseline" else 1
            return MigrationFile(path, fmt, role, (0, flyway_version(m["version"]), rank, _natural(name)), group)
        r = _FLYWAY_REPEATABLE.match(name)
        if r:  # repeatables run after all versioned migrations, ordered by description
            return MigrationFile(path, fmt, "repeatable", (1, (), 0, _natural(r["desc"])), group)
        return MigrationFile(path, fmt, "script", (2, (), 0, _natural(name)), group)
    if fmt in ("prisma", "diesel"):
        # One folder per migration, applied in the order of the folders' names; the file in it
        # decides the direction (Prisma: migration.sql, optional down.sql; Diesel: up.sql, down.sql).
        folder = os.path.dirname(path)
        role = "down" if name == "down.sql" else ("up" if name in ("up.sql", "migration.sql") else "script")
        return MigrationFile(path, fmt, role, (_natural(os.path.basename(folder)), role != "up", _natural(name)), group)
    if fmt == "sqlx":
        m = _SQLX.match(name)
        if m:
            role = "down" if m["direction"] == "down" else "up"
            return MigrationFile(path, fmt, role, (int(m["version"]), role == "down", _natural(name)), group)
        return MigrationFile(path, fmt, "script", (float("inf"), False, _natural(name)), group)
    if fmt == "drizzle":
        stem = name[:-4] if name.endswith(".sql") else name
        position = (plan_index or {}).get(stem, len(plan_index or {}))
        return MigrationFile(path, fmt, "up", (position, _natural(name)), group)
    if fmt == "supabase":
        return MigrationFile(path, fmt, "up" if _SUPABASE.match(name) else "script", (_natural(name),), group)
    if fmt in ("golang-migrate", "golang-migrate-multi-statement"):
        m = _GOLANG_MIGRATE.match(name)
        if m:
            return MigrationFile(path, fmt, m["direction"], (int(m["version"]), m["direction"] == "down"), group)
        return MigrationFile(path, fmt, "script", (float("inf"), _natural(name)), group)
    if fmt in ("goose", "dbmate"):
        m = _NUMBERED.match(name)
        version = int(m["version"]) if m else float("inf")
        return MigrationFile(path, fmt, "script", (version, _natural(name)), group)
    if fmt == "sqitch":
        parts = Path(path).parts
        role = next((p for p in reversed(parts[:-1]) if p in ("deploy", "revert", "verify")), "script")
        change = Path(path).stem
        position = (plan_index or {}).get(change, len(plan_index or {}))
        role_rank = {"deploy": 0, "verify": 1, "revert": 2}.get(role, 3)
        return MigrationFile(path, fmt, role, (role_rank, position, _natural(name)), group)
    return MigrationFile(path, fmt, "script", (_natural(os.fspath(path)),), group)


def sqitch_plan_order(plan_text: str) -> dict[str, int]:
    """Change names of a ``sqitch.plan`` in deploy order (reworked ``name@tag`` files included)."""
    order: dict[str, int] = {}
    last_tag = ""
    for line in plan_text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")):
            continue
        if stripped.startswith("@"):
            last_tag = stripped.split()[0]
            continue
        change = stripped.split()[0]
        if change in order and last_tag:  # a reworked change: the old script is change@tag
            order[f"{change}{last_tag}"] = order[change]
        order[change] = len(order)
    return order
