"""What the cluster already has: a fingerprint to prove a rollback left no trace, and an object snapshot."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

_USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"

#: Catalog rows that any DDL changes; compared before and after each rolled-back statement.
FINGERPRINT_QUERIES = (
    "SELECT n.nspname FROM pg_namespace n WHERE " + _USER_SCHEMAS,
    "SELECT n.nspname, c.relname, c.relkind::text, c.relnatts FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + _USER_SCHEMAS,
    "SELECT n.nspname, c.relname, a.attname, a.atttypid::int, a.attnotnull, a.attisdropped FROM pg_attribute a "
    "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE a.attnum > 0 AND " + _USER_SCHEMAS,
    "SELECT n.nspname, c.relname, i.indisunique, i.indisprimary FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + _USER_SCHEMAS,
    "SELECT n.nspname, co.conname, co.contype::text FROM pg_constraint co "
    "JOIN pg_namespace n ON n.oid = co.connamespace WHERE " + _USER_SCHEMAS,
    "SELECT n.nspname, p.proname, p.pronargs FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + _USER_SCHEMAS,
)


#: SQLSTATEs of a catalog DSQL does not offer or does not let this role read: that part is left out.
_UNAVAILABLE = frozenset({"42P01", "0A000", "42501", "42883"})


def optional_rows(conn: Any, query: str) -> list[Any] | None:
    """The rows of a catalog query, or None when the cluster does not offer that catalog.

    DSQL's "System tables" page marks ``pg_proc`` as not available; a guard that read it would
    stop every run on a real cluster. Anything else (a lost connection, a conflict) is raised.
    """
    try:
        return list(conn.execute(query).fetchall())
    except Exception as exc:
        if getattr(exc, "sqlstate", None) in _UNAVAILABLE:
            return None
        raise


def fingerprint(conn: Any) -> str:
    """A hash of the user schemas' catalog rows (schemas, relations, columns, indexes, constraints, functions);
    a catalog the cluster does not offer counts as one constant, the same on every reading."""
    digest = hashlib.sha256()
    for query in FINGERPRINT_QUERIES:
        found = optional_rows(conn, query)
        rows = ["<unavailable>"] if found is None else sorted(repr(tuple(row)) for row in found)
        digest.update("\n".join(rows).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


@dataclass
class Snapshot:
    """The user schemas' objects on the cluster when the run started."""

    schemas: set[str] = field(default_factory=set)
    relations: dict[tuple[str, str], str] = field(default_factory=dict)  # (schema, name) -> relkind
    functions: set[tuple[str, str]] = field(default_factory=set)
    types: set[tuple[str, str]] = field(default_factory=set)
    index_counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (schema, table) -> indexes


def snapshot(conn: Any) -> Snapshot:
    """Read the objects of every user schema."""
    snap = Snapshot()
    snap.schemas = {row[0] for row in conn.execute(FINGERPRINT_QUERIES[0]).fetchall()}
    for schema, name, kind in conn.execute(
        "SELECT n.nspname, c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE " + _USER_SCHEMAS
    ).fetchall():
        snap.relations[(schema, name)] = kind
    functions = optional_rows(
        conn,
        "SELECT n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE " + _USER_SCHEMAS,
    )
    for schema, name in functions or []:
        snap.functions.add((schema, name))
    for schema, name in conn.execute(
        "SELECT n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.typtype IN ('c', 'd', 'e', 'r') AND (t.typrelid = 0 OR t.typtype <> 'c') AND " + _USER_SCHEMAS
    ).fetchall():
        snap.types.add((schema, name))
    for schema, table, count in conn.execute(
        "SELECT n.nspname, c.relname, count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + _USER_SCHEMAS + " GROUP BY 1, 2"
    ).fetchall():
        snap.index_counts[(schema, table)] = int(count)
    return snap
