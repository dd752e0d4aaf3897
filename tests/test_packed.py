"""Packed tokens (dsql_lint.text.packed): a big text's tokens kept in arrays give the same answers as lists.

Big texts are rare in the tests, so each check here forces the packed path (``PACK_FROM = 0``)
and compares it with the list path on the same input: the lexer's tokens, what the sequences
answer, and every diagnostic of the corpora and the rule pages' examples.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dsql_lint.frontend.split import split
from dsql_lint.lint.engine import Linter
from dsql_lint.model import Statement
from dsql_lint.rules.docs import examples, page_path
from dsql_lint.rules.registry import all_rules
from dsql_lint.text import lexer, packed
from dsql_lint.text.lexer import Token, tokenize, tokens_of
from dsql_lint.text.packed import PackedTokens, PackedWords, TokenStore
from dsql_lint.text.source import Source
from tests.conftest import ROOT

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


def _sql_files() -> list[Path]:
    """The repository's SQL (tests, examples) and, when it is beside the project, the shared corpus."""
    found = sorted(ROOT.glob("tests/**/*.sql")) + sorted(ROOT.glob("examples/**/*.sql"))
    return found + sorted(SHARED_CORPUS.glob("**/*.sql"))


def _page_examples() -> list[str]:
    return [b.sql for r in all_rules() if page_path(r) for b in examples(page_path(r).read_text(encoding="utf-8"))]  # type: ignore[union-attr]


def _shape(tok: Token) -> tuple[object, ...]:
    return tok.kind, tok.start, tok.end, tok.text, tok.upper


def _packed(text: str) -> PackedTokens:
    store = tokenize(text, TokenStore(text))
    return PackedTokens(store, range(len(store)))


def test_a_store_holds_the_tokens_a_list_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexer, "_BATCH", 7)  # batches end anywhere, inside dollar quotes and comments too
    files = _sql_files()
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert [_shape(t) for t in _packed(text)] == [_shape(t) for t in tokenize(text)], path
    # The lexer's own edge cases: what runs to the end of the text, '#' comments, COPY data.
    for text in (
        "SELECT 1; $x$ body",
        "SELECT 1; /* open /* nested */",
        "# note\nSELECT 1;\n# again\nSELECT 2;",
        "COPY t FROM STDIN;\n1\t2\n\\.\nSELECT 'a''b';",
        "SELECT $f$ a $f$, $$ b $$, 'unterminated",
        "E'\\x' U&\"d\" B'1' X'f' N'n' 1e5 1.2.3 :: := -- c\r\nx",
    ):
        assert [_shape(t) for t in _packed(text)] == [_shape(t) for t in tokenize(text)], text


def test_tokens_of_packs_from_the_threshold_on(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(tokens_of("SELECT 1;"), list)
    monkeypatch.setattr(lexer, "PACK_FROM", 9)
    assert isinstance(tokens_of("SELECT 1;"), PackedTokens)
    assert isinstance(tokens_of("SELECT 1"), list)


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Statement], list[Statement]]:
    plain = split(Source("t.sql", text))
    monkeypatch.setattr(lexer, "PACK_FROM", 0)
    monkeypatch.setattr(packed, "LIST_UP_TO", 0)
    packs = split(Source("t.sql", text))
    monkeypatch.undo()
    return plain, packs


def test_packed_statements_answer_as_lists_do(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "CREATE TABLE t (a int /* c */, b text[], c numeric(10, 2)) WITH (fillfactor = 40);\n"
        "-- between\nINSERT INTO t VALUES (1, '{}', 2), (2, '{x}', 3); SELECT a FROM t WHERE b = 'a' AND a IN (1, 2);"
    )
    plain, packs = _both(text, monkeypatch)
    assert len(plain) == len(packs) == 3
    for p, q in zip(plain, packs, strict=True):
        assert isinstance(q.tokens, PackedTokens) and isinstance(q.words, PackedWords)
        assert [_shape(t) for t in q.tokens] == [_shape(t) for t in p.tokens]
        assert q.words == p.words and p.words == q.words and list(q.words) == p.words
        assert q.depths == p.depths
        assert q.comments == p.comments or [_shape(t) for t in q.comments] == [_shape(t) for t in p.comments]
        n = len(p.words)
        for word in {*p.words, "NOPE", "(", ","}:
            for start in (0, 1, n // 2, -3, n + 2):
                for stop in (None, n, n - 1, 2, -1):
                    try:
                        expected = p.words.index(word, start, n if stop is None else stop)
                    except ValueError:
                        expected = -1
                    try:
                        got = q.words.index(word, start, stop)
                    except ValueError:
                        got = -1
                    assert got == expected, (word, start, stop)
            assert (word in q.words) == (word in p.words)
            assert q.words.count(word) == p.words.count(word)
        for seq in (("INT",), ("(", "1"), ("IN", "("), ("WITH", "("), ("B",)):
            for depth in (None, 0, 1):
                assert q.find(*seq, depth=depth) == p.find(*seq, depth=depth), seq
        for i, tok in enumerate(q.tokens):
            assert (
                q.tokens.index(tok) == i and tok in q.tokens and tok == q.tokens[i] and hash(tok) == hash(q.tokens[i])
            )
            assert q.token_index(tok.start) == p.token_index(tok.start)
        assert [_shape(t) for t in q.tokens[2:5]] == [_shape(t) for t in p.tokens[2:5]]
        assert q.words[1:4] == p.words[1:4] and q.words[-2:] == p.words[-2:]
        assert q.tokens[-1] == q.tokens[len(q.tokens) - 1]
        assert [_shape(t) for t in reversed(q.tokens)] == [_shape(t) for t in reversed(p.tokens)]
    # a token of another statement is not in this one
    assert packs[1].tokens[0] not in packs[0].tokens
    with pytest.raises(ValueError):
        packs[0].tokens.index(packs[1].tokens[0])


def test_word_search_on_random_token_soups(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(18)
    pieces = ["a", "A", "b", "in", "IN", "(", ")", ",", "'a'", '"A"', "1", "/* x */", "-- y\n", "::", "=", "ß", "SS"]
    for _ in range(200):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40))) + ";"
        plain, packs = _both(text, monkeypatch)
        for p, q in zip(plain, packs, strict=True):
            for word in ("A", "IN", "(", ",", "'a'", '"A"', "SS", "ß"):
                assert (word in q.words) == (word in p.words) and q.words.count(word) == p.words.count(word)
                assert q.find(word) == p.find(word) and q.find(word, "(") == p.find(word, "(")
            assert q.depths == p.depths


def _diagnostics(linter: Linter, path: str, text: str) -> list[tuple[object, ...]]:
    _, found = linter.lint_source(Source(path, text))
    return [(d.code, d.start, d.end, d.message, d.severity, repr(d.fix)) for d in found]


def test_every_corpus_file_and_page_example_gives_the_same_diagnostics_packed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    linter = Linter()
    inputs = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in _sql_files()]
    inputs += [(f"example{i}.sql", sql) for i, sql in enumerate(_page_examples())]
    assert len(inputs) > 300
    plain = [_diagnostics(linter, path, text) for path, text in inputs]
    monkeypatch.setattr(lexer, "PACK_FROM", 0)
    # Every statement's tokens packed; then lists up to 3 tokens, packed from the 4th on.
    for most in (0, 3):
        monkeypatch.setattr(packed, "LIST_UP_TO", most)
        for (path, text), expected in zip(inputs, plain, strict=True):
            assert _diagnostics(linter, path, text) == expected, (most, path)


def test_a_packed_text_keeps_small_statements_in_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexer, "PACK_FROM", 0)
    monkeypatch.setattr(packed, "LIST_UP_TO", 3)
    small, big = split(Source("t.sql", "SELECT 1; SELECT 1, 2, 3;"))
    assert isinstance(small.tokens, list) and isinstance(big.tokens, PackedTokens)
    assert [t.text for t in big.tokens] == ["SELECT", "1", ",", "2", ",", "3"]


def test_a_big_insert_is_packed_at_the_real_threshold_and_still_judged() -> None:
    rows = ",".join(f"({i}, 'v{i}')" for i in range(130_000))
    text = f"INSERT INTO t (a, b) VALUES {rows};\nCREATE INDEX i ON t (a DESC);\n"
    assert len(text) >= lexer.PACK_FROM
    script, found = Linter().lint_source(Source("seed.sql", text))
    insert, index = script.statements
    assert isinstance(script.tokens, PackedTokens) and isinstance(insert.tokens, PackedTokens)
    assert isinstance(index.tokens, list)  # a small statement of the same text keeps a list
    assert len(insert.tokens) == 9 + 130_000 * 6 - 1  # INSERT INTO t ( a , b ) VALUES, then 6 a row
    by_code = {d.code: d for d in found}
    assert "130,000 rows" in by_code["DSQL824"].message and by_code["DSQL824"].start == 0
    assert {"DSQL301", "DSQL302"} <= by_code.keys()
    assert text[by_code["DSQL302"].start : by_code["DSQL302"].end] == "DESC"
