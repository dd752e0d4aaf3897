"""Migration files sort by a flat natural key (one tuple per file, see ``files._natural``): it must
order names exactly as the tuple of per-run triples it replaced."""

from __future__ import annotations

import random
import re

from dsql_lint.migrations.files import _natural


def _triples(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdecimal() else (1, 0, p.lower()) for p in re.split(r"(\d+)", text) if p)


def test_the_flat_key_orders_names_as_the_triples_do() -> None:
    rng = random.Random(7)
    names = ["".join(rng.choice("aB1_09.z") for _ in range(rng.randint(0, 9))) for _ in range(3000)]
    names += ["V2__a.sql", "V10__a.sql", "V1_1__a.sql", "v1__A.sql", "2", "10", "sub", ""]
    assert sorted(names, key=_natural) == sorted(names, key=_triples)
    for a, b in zip(names, reversed(names), strict=True):
        assert (_natural(a) < _natural(b)) == (_triples(a) < _triples(b)), (a, b)
