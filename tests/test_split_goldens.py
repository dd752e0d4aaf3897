"""The splitter reproduces the statement lists of ../shared/corpus/split/*.golden."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsql_lint.frontend.split import split
from dsql_lint.text.source import Source
from tests.conftest import CORPUS

SPLIT = CORPUS / "split"
CASES = sorted(p for p in SPLIT.glob("*.sql")) if SPLIT.is_dir() else []


def _expected(golden: Path) -> list[str]:
    return golden.read_text(encoding="utf-8").split("\n-- end --\n")


@pytest.mark.corpus
@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_splitter_matches_golden(path: Path) -> None:
    source = Source(str(path), path.read_text(encoding="utf-8"))
    got = [s.text for s in split(source)]
    assert got == _expected(path.with_name(path.name + ".golden"))


def test_split_goldens_are_present_or_skipped(corpus_dir: Path) -> None:
    assert CASES, f"no split goldens in {corpus_dir / 'split'}"
