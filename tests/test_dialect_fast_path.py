"""The fast path of ``_strip_unparsed_options`` never changes what it returns.

``_needs_strip`` lets most statements skip the token loop; these tests run the loop anyway
(the check forced to True) on every statement of the rule pages and the labelled corpus,
plus one statement per case of the loop, and require the same tokens either way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dsql_lint.frontend import dialect
from dsql_lint.frontend.split import split
from dsql_lint.text.source import Source

ROOT = Path(__file__).resolve().parent.parent

#: One statement per case of the loop, each of which it rewrites.
CASES = [
    "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY (CACHE 10))",
    "CREATE TABLE t (a text STORAGE EXTERNAL)",
    "CREATE TABLE t (a text COMPRESSION lz4)",
    "INSERT INTO t OVERRIDING SYSTEM VALUE VALUES (1)",
    "CREATE INDEX i ON ONLY t (a)",
    "CREATE TABLE t (a bit varying(5))",
    "CREATE TABLE t (a numeric(5, -2))",
    "CREATE FUNCTION f(a int = 1) RETURNS int LANGUAGE sql AS 'select a'",
    "CREATE TABLE t (a int REFERENCES p ON DELETE SET NULL (a))",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1",
]


def _statements() -> list[str]:
    texts = list(CASES)
    for path in [*sorted((ROOT / "rules").glob("*.md")), *sorted((ROOT / "tests" / "corpus").glob("*.sql"))]:
        try:
            statements = split(Source(str(path), path.read_text(encoding="utf-8")))
        except Exception:  # a page or case the splitter refuses is another test's business
            continue
        texts += [s.text for s in statements]
    return texts


def _shape(tokens: list) -> list[tuple]:
    return [(t.token_type, t.text, t.start, t.end) for t in tokens]


def test_the_loop_cases_all_take_the_slow_path() -> None:
    for sql in CASES:
        assert dialect._needs_strip(dialect.DIALECT.tokenize(sql)), sql


def test_fast_path_returns_what_the_loop_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    tokenized = []
    for sql in _statements():
        try:
            tokenized.append(dialect.DIALECT.tokenize(sql))
        except Exception:
            continue
    assert len(tokenized) > 500
    fast = [_shape(dialect._strip_unparsed_options(tokens)) for tokens in tokenized]
    monkeypatch.setattr(dialect, "_needs_strip", lambda tokens: True)
    slow = [_shape(dialect._strip_unparsed_options(tokens)) for tokens in tokenized]
    assert fast == slow
    skipped = sum(1 for f, tokens in zip(fast, tokenized, strict=True) if f == _shape(tokens))
    assert skipped > 0
