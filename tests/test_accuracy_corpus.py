"""The labelled accuracy corpus in tests/corpus/: what DSQL rejects, and what it accepts.

Each ``*.sql`` file is a list of cases. A case starts with a comment line
``-- expect: DSQL101, DSQL302`` (or ``-- expect: ok``) and runs to the next one;
it is linted on its own, and the set of codes found must equal the expected set
exactly. A file may start with ``-- preset: all`` (the default is ``compat``, so
house rules do not add noise to compatibility cases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.conftest import ROOT, lint

CORPUS = ROOT / "tests" / "corpus"
_EXPECT = re.compile(r"^--\s*expect:\s*(?P<codes>.+?)\s*$", re.MULTILINE)
_PRESET = re.compile(r"^--\s*preset:\s*(?P<preset>\w+)\s*$", re.MULTILINE)


@dataclass
class Case:
    file: str
    line: int
    expected: frozenset[str]
    sql: str
    preset: str


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        preset_match = _PRESET.search(text)
        preset = preset_match.group("preset") if preset_match else "compat"
        marks = list(_EXPECT.finditer(text))
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            raw = mark.group("codes").strip()
            expected = frozenset() if raw.lower() == "ok" else frozenset(c.strip() for c in raw.split(","))
            line = text.count("\n", 0, mark.start()) + 1
            cases.append(Case(path.name, line, expected, text[mark.end() : end], preset))
    return cases


CASES = load_cases()


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 300  # issue 3: at least 300 labelled statements written from facts.md
    rejects = sum(1 for c in CASES if c.expected)
    accepts = sum(1 for c in CASES if not c.expected)
    assert rejects and accepts


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.line}" for c in CASES])
def test_corpus_case(case: Case) -> None:
    found = lint(case.sql, path=f"{case.file}:{case.line}", preset=case.preset)
    got = frozenset(d.code for d in found)
    assert got == case.expected, f"{case.file}:{case.line}: expected {sorted(case.expected)}, got " + str(
        sorted((d.code, d.line, d.message) for d in found)
    )
