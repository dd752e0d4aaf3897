"""Discovery joins paths as strings: the same spelling, in the same order, as joining ``Path`` objects did."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dsql_lint.discover import SKIPPED_DIRS, discover, natural_key, walk_sql_paths


def _old_walk(root: Path) -> list[str]:
    """The implementation before: one ``Path`` per file."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted((d for d in dirnames if d not in SKIPPED_DIRS), key=natural_key)
        for name in sorted(filenames, key=natural_key):
            if name.lower().endswith(".sql"):
                found.append(Path(dirpath) / name)
    return [os.fspath(p) for p in found]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for rel in ("V1__a.sql", "V10__b.SQL", "V2__c.sql", "notes.txt", "sub/V3__d.sql", "sub/deeper/x.sql",
                "sub/.git/hidden.sql", "other/y.sql", "node_modules/z.sql"):  # fmt: skip
        path = tmp_path / "db" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("SELECT 1;\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "db")
    return tmp_path / "db"


@pytest.mark.parametrize("top", [".", "./", "sub", "sub/", "./sub", "./sub/", "sub//deeper", "..", "../db", "ABS"])
def test_string_joins_spell_paths_as_pathlib_did(tree: Path, top: str) -> None:
    root = Path(str(tree) if top == "ABS" else top)
    assert walk_sql_paths(root) == _old_walk(root)
    assert walk_sql_paths(root)  # the tree has files under every top


def test_discover_keeps_order_and_drops_duplicates(tree: Path) -> None:
    assert discover(["sub", ".", "V1__a.sql", "-"]) == [*_old_walk(Path("sub")), *[
        p for p in _old_walk(Path(".")) if p not in _old_walk(Path("sub"))
    ], "-"]  # fmt: skip
