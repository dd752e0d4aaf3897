"""Generate realistic, deterministic migration corpora for the benchmark.

Two shapes, both seeded so every run lints the same bytes:

* a folder of Flyway-style migration files (``V1__...sql`` .. ``V1000__...sql``) holding
  10,000 statements in total: tables, indexes (some synchronous, some ASYNC), ALTER TABLE,
  seed data, an occasional explicit transaction, a plpgsql function, comments, and a sprinkling
  of what DSQL rejects (SERIAL, synchronous CREATE INDEX, triggers, TRUNCATE ...);
* one file of 100,000 statements built from the same generator.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

_TYPES = ("bigint", "integer", "text", "varchar(200)", "timestamptz", "boolean", "numeric(12, 2)", "uuid", "jsonb")
_WORDS = (
    "account", "user", "order", "invoice", "payment", "product", "customer", "shipment", "address",
    "session", "event", "plan", "team", "member", "project", "task", "comment", "tag", "audit", "token",
)  # fmt: skip


class _Gen:
    """Statement generator with a private random stream and a growing list of tables."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.tables: list[tuple[str, list[str]]] = []
        self.serial = 0

    def name(self, prefix: str = "") -> str:
        self.serial += 1
        return f"{prefix}{self.rnd.choice(_WORDS)}_{self.serial}"

    def create_table(self) -> str:
        rnd = self.rnd
        table = self.name()
        cols = [f"{self.name('c_')}" for _ in range(rnd.randint(3, 9))]
        key = "id SERIAL PRIMARY KEY" if rnd.random() < 0.05 else "id uuid PRIMARY KEY DEFAULT gen_random_uuid()"
        lines = [f"    {key},"]
        for col in cols:
            null = " NOT NULL" if rnd.random() < 0.4 else ""
            default = " DEFAULT now()" if rnd.random() < 0.1 else ""
            lines.append(f"    {col} {rnd.choice(_TYPES)}{null}{default},")
        lines.append("    created_at timestamptz NOT NULL DEFAULT now()")
        self.tables.append((table, cols))
        comment = f"-- {table}: one row per {table.split('_')[0]}\n" if rnd.random() < 0.5 else ""
        return f"{comment}CREATE TABLE {table} (\n" + "\n".join(lines) + "\n);"

    def table(self) -> tuple[str, list[str]]:
        if not self.tables:
            self.create_table()
        return self.rnd.choice(self.tables[-50:])

    def create_index(self) -> str:
        table, cols = self.table()
        col = self.rnd.choice(cols)
        asyncly = "ASYNC " if self.rnd.random() < 0.8 else ""
        unique = "UNIQUE " if self.rnd.random() < 0.2 else ""
        return f"CREATE {unique}INDEX {asyncly}{table}_{col}_idx ON {table} ({col});"

    def alter(self) -> str:
        table, cols = self.table()
        col = self.name("c_")
        cols.append(col)
        return f"ALTER TABLE {table} ADD COLUMN {col} {self.rnd.choice(_TYPES)};"

    def insert(self) -> str:
        table, cols = self.table()
        used = cols[:3]
        rows = ", ".join(
            "(" + ", ".join(f"'{self.rnd.choice(_WORDS)} o''{i}'" for _ in used) + ")"
            for i in range(self.rnd.randint(1, 4))
        )
        return f"INSERT INTO {table} ({', '.join(used)}) VALUES {rows};"

    def update(self) -> str:
        table, cols = self.table()
        where = f"{cols[-1]} IS NOT NULL AND created_at < now() - interval '30 days'"
        return f"UPDATE {table} SET {cols[0]} = NULL WHERE {where};"

    def function(self) -> str:
        name = self.name("fn_")
        return (
            f"CREATE OR REPLACE FUNCTION {name}(p_id uuid) RETURNS bigint LANGUAGE sql AS $$\n"
            f"    SELECT count(*) FROM pg_class WHERE relname = 'x' /* CREATE INDEX in a body */;\n"
            f"$$;"
        )

    def rejected(self) -> str:
        table, cols = self.table()
        return self.rnd.choice(
            (
                f"TRUNCATE {table};",
                f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION touch();",
                f"CREATE INDEX {table}_desc_idx ON {table} ({cols[0]} DESC);",
                f"CREATE TEMPORARY TABLE tmp_{table} (id bigint);",
            )
        )

    def statement(self) -> str:
        r = self.rnd.random()
        if r < 0.30:
            return self.create_table()
        if r < 0.50:
            return self.create_index()
        if r < 0.68:
            return self.alter()
        if r < 0.85:
            return self.insert()
        if r < 0.93:
            return self.update()
        if r < 0.97:
            return self.function()
        return self.rejected()

    def statements(self, count: int) -> Iterator[str]:
        """``count`` statements; about one in twenty files wraps a DML pair in BEGIN/COMMIT."""
        made = 0
        while made < count:
            if count - made >= 4 and self.rnd.random() < 0.02:
                yield "BEGIN;"
                yield self.insert()
                yield self.update()
                yield "COMMIT;"
                made += 4
            else:
                yield self.statement()
                made += 1


def write_folder(root: Path, files: int = 1000, statements: int = 10_000, seed: int = 5) -> list[Path]:
    """Write ``files`` migration files holding ``statements`` statements in total; return their paths."""
    root.mkdir(parents=True, exist_ok=True)
    gen = _Gen(seed)
    paths = []
    per_file = statements // files
    for i in range(1, files + 1):
        count = per_file + (1 if i <= statements % files else 0)
        path = root / f"V{i}__{gen.rnd.choice(_WORDS)}_changes.sql"
        header = f"-- Migration {i}: generated by benchmarks/corpus.py\n\n"
        path.write_text(header + "\n\n".join(gen.statements(count)) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_big_file(path: Path, statements: int = 100_000, seed: int = 7) -> Path:
    """Write one file of ``statements`` statements."""
    path.parent.mkdir(parents=True, exist_ok=True)
    gen = _Gen(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write("-- One very large generated schema and data script.\n\n")
        for stmt in gen.statements(statements):
            out.write(stmt)
            out.write("\n\n")
    return path
