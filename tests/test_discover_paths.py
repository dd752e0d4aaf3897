"""Discovery joins paths as strings: the same spelling, in the same order, as joining ``Path`` objects did."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dsql_lint.frontend.discover import SKIPPED_DIRS, discover, natural_key, walk_sql_paths


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


def _reference_natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """The per-character loop natural_key was, with a digit being what ``int`` reads (``isdecimal``)."""
    chunk: list[tuple[int, int, str]] = []
    number = ""
    for ch in name:
        if ch.isdecimal():
            number += ch
            continue
        if number:
            chunk.append((0, int(number), ""))
            number = ""
        chunk.append((1, 0, ch.lower()))
    if number:
        chunk.append((0, int(number), ""))
    return tuple(chunk)


@given(st.text(alphabet=st.sampled_from("V1209._-²³¹٣Ⅻ½aBİß\n ") | st.characters(), max_size=30))
def test_natural_key_is_the_per_character_loop(name: str) -> None:
    assert natural_key(name) == _reference_natural_key(name)


def test_natural_key_reads_only_decimal_digits_as_numbers() -> None:
    # "²" is a digit to str.isdigit but not a number to int(): it once crashed discovery
    assert natural_key("V²__x.sql")[1] == (1, 0, "²")
    assert natural_key("V٣__x.sql")[1] == (0, 3, "")  # an Arabic-Indic three is a decimal digit
    assert sorted(["V10__a.sql", "V²__b.sql", "V2__c.sql"], key=natural_key) == ["V2__c.sql", "V10__a.sql", "V²__b.sql"]
