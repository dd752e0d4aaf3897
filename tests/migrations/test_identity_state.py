"""DSQL116 keeps what the migrations say about every created table's columns compactly (bits and one
shared place per CREATE TABLE). These tests drive its ``visit`` with random histories and compare
what it reports with the plain reading of its rule: a dictionary of every known column's state."""

from __future__ import annotations

import random
from types import SimpleNamespace

from dsql_lint.migrations.schema import SchemaModel
from dsql_lint.migrations.summary import Change
from dsql_lint.rules.types.identity_on_nullable_column import IdentityOnNullableColumn, _renamed

TABLES = ["t", "u", "app.t", "v"]
COLUMNS = ["a", "b", "c", "d", "e"]


def _reference(changes: list[tuple[str, Change]]) -> list[tuple[int, tuple[str, int] | None]]:
    """For each ADD GENERATED: where its column was made nullable, or None when it is not known to be."""
    tables: dict[str, dict[str, tuple[bool, str, int]]] = {}
    found = []
    for i, (path, c) in enumerate(changes):
        k = c.kind
        if k == "create_table":
            if "if_not_exists" in c.flags and c.table in tables:
                continue
            tables[c.table] = {name: (True, path, c.line) for name, _ in c.columns}
        elif k == "not_null" and c.table in tables:
            for name, _ in c.columns:
                if name in tables[c.table]:
                    tables[c.table][name] = (False, "", 0)
        elif (k == "add_column" and c.table in tables) or (k == "drop_not_null" and c.name in tables.get(c.table, {})):
            tables[c.table][c.name] = (True, path, c.line)
        elif k == "drop_column":
            tables.get(c.table, {}).pop(c.name, None)
        elif k == "drop_table":
            tables.pop(c.name, None)
        elif k == "rename_table" and c.table in tables:
            tables[_renamed(c.table, c.name)] = tables.pop(c.table)
        elif k == "rename_column" and c.table in tables and c.columns[0][0] in tables[c.table]:
            tables[c.table][c.name] = tables[c.table].pop(c.columns[0][0])
        elif k == "add_identity":
            known = tables.get(c.table, {}).get(c.name)
            found.append((i, (known[1], known[2]) if known and known[0] else None))
    return found


def _history(rng: random.Random, length: int) -> list[tuple[str, Change]]:
    out = []
    for n in range(length):
        path = f"V{n // 4}.sql"
        table, column = rng.choice(TABLES), rng.choice(COLUMNS)
        kind = rng.choice(
            ["create_table"] * 3
            + ["not_null"] * 3
            + ["add_column", "drop_not_null", "drop_column", "drop_table", "rename_table", "rename_column"]
            + ["add_identity"] * 4
        )
        if kind == "create_table":
            names = rng.sample([*COLUMNS, "a"], rng.randint(0, 5))  # a name may come twice
            flags = frozenset({"if_not_exists"}) if rng.random() < 0.3 else frozenset()
            change = Change(kind, 0, 1, table=table, columns=[(c, "int") for c in names], flags=flags, line=n)
        elif kind == "not_null":
            names = rng.sample(COLUMNS, rng.randint(1, 3))
            change = Change(kind, 0, 1, table=table, columns=[(c, "") for c in names], line=n)
        elif kind == "drop_table":
            change = Change(kind, 0, 1, name=table, line=n)
        elif kind == "rename_table":
            change = Change(kind, 0, 1, table=table, name=rng.choice(["t", "u", "v", "w"]), line=n)
        elif kind == "rename_column":
            change = Change(kind, 0, 1, table=table, name=rng.choice(COLUMNS), columns=[(column, "")], line=n)
        else:
            change = Change(kind, 0, 1, table=table, name=column, line=n)
        out.append((path, change))
    return out


def test_random_histories_report_what_a_dictionary_of_every_column_would() -> None:
    counts = {True: 0, False: 0}  # ADD GENERATED reported or not: both must be common for the test to mean something
    for seed in range(400):
        rng = random.Random(seed)
        changes = _history(rng, rng.randint(5, 60))
        expected = _reference(changes)
        assert _visit(changes) == expected, seed
        for _, where in expected:
            counts[where is not None] += 1
    assert min(counts.values()) > 300, counts


def _visit(changes: list[tuple[str, Change]]) -> list[tuple[int, tuple[str, int] | None]]:
    """What the rule reports for each ADD GENERATED of ``changes``, replayed in order, as :func:`_reference` says it."""
    rule = IdentityOnNullableColumn()
    rule.at_change = lambda entry, change, *, message: (message,)  # type: ignore[method-assign,assignment,return-value]
    model = SchemaModel()
    found = []
    for i, (path, change) in enumerate(changes):
        out: list[str] = list(rule.visit(SimpleNamespace(path=path, reported=True), change, model, None))  # type: ignore[arg-type]
        if change.kind != "add_identity":
            assert out == []
            continue
        where = None
        if out:
            (message,) = out
            place = message.split("(made so on line ", 1)[1].split(")", 1)[0]
            line, _, other = place.partition(" of ")
            where = (other or path, int(line))
        found.append((i, where))
    return found
