"""DSQL115 non-storable-column-type: a column whose type DSQL does not have, wherever the type was made."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from dsql_lint.model import Diagnostic, Severity
from dsql_lint.rules.api import Context, FolderRule
from dsql_lint.rules.types.serial_type import SERIAL_TYPES
from dsql_lint.rules.types.unsupported_column_type import UNSUPPORTED_TYPES

if TYPE_CHECKING:
    from dsql_lint.migrations.folder import FolderEntry
    from dsql_lint.migrations.schema import SchemaModel
    from dsql_lint.migrations.summary import Change

#: The column types DSQL stores (facts.md 2.6), under every spelling PostgreSQL 16 accepts for them.
STORABLE = frozenset(
    {
        "smallint", "int2", "integer", "int", "int4", "bigint", "int8",
        "real", "float4", "double precision", "float8", "float",
        "numeric", "decimal", "dec",
        "char", "character", "bpchar", "nchar", "national char", "national character",
        "varchar", "character varying", "char varying", "national character varying", "national char varying",
        "nchar varying", "text",
        "date", "time", "time without time zone", "time with time zone", "timetz",
        "timestamp", "timestamp without time zone", "timestamp with time zone", "timestamptz",
        "interval", "boolean", "bool", "bytea", "uuid", "json", "jsonb",
    }
)  # fmt: skip
#: Types of PostgreSQL extensions, which DSQL cannot install (CREATE EXTENSION is DSQL208's).
EXTENSION_TYPES = {
    "vector": "pgvector",
    "halfvec": "pgvector",
    "sparsevec": "pgvector",
    "geometry": "PostGIS",
    "geography": "PostGIS",
    "raster": "PostGIS",
    "box2d": "PostGIS",
    "box3d": "PostGIS",
    "citext": "citext",
    "hstore": "hstore",
    "ltree": "ltree",
    "lquery": "ltree",
    "cube": "cube",
    "earth": "earthdistance",
    "isbn": "isn",
    "issn": "isn",
    "ean13": "isn",
    "upc": "isn",
    "seg": "seg",
}
_MODIFIERS = re.compile(r"\([^()]*\)")
_ARRAY = re.compile(r"\barray\b", re.IGNORECASE)
_NAME_PART = re.compile(r'"(?:[^"]|"")+"|[^\s."]+')
_KINDS = frozenset({"create_table", "add_column", "create_type", "create_domain"})


@functools.lru_cache(maxsize=4096)  # every column of every table goes through here; type texts repeat
def type_key(text: str) -> str | None:
    """The type a column declaration names, folded as the summary folds names (``pg_catalog.`` and
    ``public.`` dropped, modifiers removed: ``timestamp (3) with time zone``); None for an array."""
    if "[" in text or _ARRAY.search(text):
        return None  # DSQL102's
    text = _MODIFIERS.sub(" ", text)
    parts = [p[1:-1].replace('""', '"') if p.startswith('"') else p.lower() for p in _NAME_PART.findall(text)]
    if not parts:
        return None
    if len(parts) >= 2 and re.match(r'\s*("(?:[^"]|"")+"|[^\s."]+)\s*\.', text):
        schema, parts = parts[0], parts[1:]
        if schema not in ("pg_catalog", "public"):
            return f"{schema}.{' '.join(parts)}"
    return " ".join(parts)


class _Made:
    """What the migrations replayed so far created: types (name -> path, line, made inside a DO block)
    and domains (name -> the key of their base type)."""

    __slots__ = ("domains", "types")

    def __init__(self) -> None:
        self.types: dict[str, tuple[str, int, bool]] = {}
        self.domains: dict[str, str | None] = {}


class NonStorableColumnType(FolderRule):
    """Flags a column (CREATE TABLE, ADD COLUMN) whose type is none of the types DSQL stores: an enum or
    composite made in an earlier migration or inside a DO block, an extension's type (pgvector's
    ``vector``, PostGIS ``geometry``, ``citext``, ``hstore`` ...), or any other name that is neither a
    storable built-in type nor a domain these migrations create (a domain counts as its base type).

    Types DSQL103 (built-in but not storable), DSQL101 (serial), DSQL102 (arrays) and DSQL104 (an enum
    created earlier in the same file) report are left to them.
    """

    code: ClassVar[str] = "DSQL115"
    name: ClassVar[str] = "non-storable-column-type"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "The column's type does not exist on DSQL"
    help: ClassVar[str] = (
        "use a type DSQL stores: integer types, numeric, text, varchar, char, boolean, bytea, uuid, "
        "date/time types, json or jsonb (an enum becomes text with a CHECK listing its values)"
    )

    kinds: ClassVar[frozenset[str]] = _KINDS

    def visit(self, entry: FolderEntry, change: Change, model: SchemaModel, ctx: Context) -> Iterable[Diagnostic]:
        made = model.notes_of(self.code, _Made)
        if change.kind == "create_type":
            inside_do = entry.source.text[change.start : change.start + 1] == "$"
            made.types[change.name] = (entry.path, change.line, inside_do or "$" in change.name)
        elif change.kind == "create_domain":
            made.domains[change.name] = type_key(change.columns[0][1]) if change.columns else None
        elif entry.reported:
            return self._columns(entry, change, made.types, made.domains)
        return ()  # a plain function, not a generator: it is called for every table a folder makes

    def _columns(
        self,
        entry: FolderEntry,
        change: Change,
        types: dict[str, tuple[str, int, bool]],
        domains: dict[str, str | None],
    ) -> Iterator[Diagnostic]:
        for column, type_text in change.columns:
            key = type_key(type_text)
            if key is None or key in STORABLE or _storable(key, domains):  # (its first test, without the call)
                continue
            first = key.split(" ", 1)[0]
            if key in UNSUPPORTED_TYPES or first in UNSUPPORTED_TYPES or key.upper() in SERIAL_TYPES:
                continue
            made = types.get(key)
            if made is not None and made[0] == entry.path and not made[2]:
                continue  # created at the top of this file: DSQL104 reports it, pointing at both
            if made is not None:
                where = "inside a DO block " if made[2] else ""
                origin = f"a user-defined type created {where}on line {made[1]} of {made[0]}"
            elif first in EXTENSION_TYPES:
                origin = f"the {EXTENSION_TYPES[first]} extension's type, which DSQL cannot install"
            else:
                origin = "not a type DSQL stores, nor a domain these migrations create"
            start, end = _locate(entry.source.text, change.start, type_text)
            shown = entry.source.text[start:end] if end > start else type_text
            yield self.report(
                entry.source,
                start,
                end,
                message=f'column `{column}` has type `{shown}`: {origin} (DSQL answers `type "{key}" does not exist`)',
            )


def _storable(key: str, domains: dict[str, str | None], depth: int = 0) -> bool:
    if key in STORABLE or key.startswith("interval ") or key.startswith(("float ", "double precision ")):
        return True
    base = domains.get(key)
    return base is not None and depth < 8 and _storable(base, domains, depth + 1)


def _locate(text: str, start: int, type_text: str) -> tuple[int, int]:
    """Where the column's type is written, searched from the table's name; the name itself if not found."""
    pattern = r"\s*".join(re.escape(part) for part in type_text.split())
    found = re.compile(pattern, re.IGNORECASE).search(text, start)
    if found is None:
        return start, start
    return found.start(), found.end()
