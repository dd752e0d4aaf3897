"""The optimised lexer, splitter and classifier give exactly what the reference versions gave.

``tests/reference_frontend.py`` is a frozen copy of the straightforward implementations;
every token (kind, offsets, text, upper-cased text), every statement (span, tokens,
comments, terminator, kind, tag) must be identical on every real file we have and on
random SQL-ish text built from the constructs that make lexing hard.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.frontend.classify import classify
from dsql_lint.frontend.split import split
from dsql_lint.text.lexer import tokenize
from dsql_lint.text.source import Source
from tests import reference_frontend as ref
from tests.conftest import CORPUS, ROOT

TokenRow = tuple[str, int, int, str, str]


def _tokens(tokens: list) -> list[TokenRow]:  # type: ignore[type-arg]
    return [(t.kind.value, t.start, t.end, t.text, t.upper) for t in tokens]


def _statements(stmts: list) -> list[tuple[object, ...]]:  # type: ignore[type-arg]
    rows = []
    for s in stmts:
        rows.append(
            (
                s.index,
                s.start,
                s.end,
                s.kind.value,
                s.tag,
                _tokens(s.tokens),
                _tokens(s.comments),
                _tokens(s.leading_comments),
                None if s.terminator is None else _tokens([s.terminator]),
            )
        )
    return rows


def assert_same_front_end(text: str) -> None:
    """Tokens, statements and classification agree with the reference for ``text``."""
    source = Source("p.sql", text)
    new_tokens = tokenize(source.text)
    old_tokens = ref.tokenize(source.text)
    assert _tokens(new_tokens) == _tokens(old_tokens)
    new_stmts = split(source, new_tokens)
    old_stmts = ref.split(source, old_tokens)
    for stmt in new_stmts:
        classify(stmt)
    for stmt in old_stmts:
        ref.classify(stmt)
    assert _statements(new_stmts) == _statements(old_stmts)
    # the words a statement is matched on (which the splitter may hand over ready) are its tokens'
    for stmt in new_stmts:
        assert list(stmt.words) == [t.upper for t in stmt.tokens]
    # split() without tokens tokenizes by itself, the same way
    assert _statements(split(Source("p.sql", text))) == _statements(ref.split(Source("p.sql", text)))


def _text_files(*roots: Path) -> list[Path]:
    files = []
    for root in roots:
        if root.is_dir():
            files.extend(p for p in sorted(root.rglob("*")) if p.is_file())
    return files


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


LOCAL_FILES = _text_files(ROOT / "tests" / "corpus", ROOT / "tests" / "data", ROOT / "tests" / "migrations")
SHARED_FILES = _text_files(CORPUS)


@pytest.mark.parametrize("path", LOCAL_FILES, ids=[str(p.relative_to(ROOT)) for p in LOCAL_FILES])
def test_same_tokens_statements_and_tags_on_project_files(path: Path) -> None:
    text = _read(path)
    if text is None:
        pytest.skip("not UTF-8 text")
    assert_same_front_end(text)


@pytest.mark.corpus
@pytest.mark.parametrize("path", SHARED_FILES, ids=[str(p.relative_to(CORPUS)) for p in SHARED_FILES])
def test_same_tokens_statements_and_tags_on_shared_corpus(path: Path) -> None:
    text = _read(path)
    if text is None:
        pytest.skip("not UTF-8 text")
    assert_same_front_end(text)


def test_shared_corpus_is_compared_or_skipped(corpus_dir: Path) -> None:
    assert len(SHARED_FILES) > 100, f"expected the pg-regress, split and framework files under {corpus_dir}"


def test_same_front_end_on_the_benchmark_corpus(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    paths = module.write_folder(tmp_path, files=200, statements=2000)
    for path in paths:
        assert_same_front_end(path.read_text(encoding="utf-8"))


FRAGMENTS = [
    "SELECT",
    "select",
    "CREATE",
    "FUNCTION",
    "BEGIN",
    "ATOMIC",
    "CASE",
    "WHEN",
    "END",
    "COPY",
    "copy",
    "t",
    "FROM",
    "stdin",
    "STDIN",
    "ſtdin",
    "WITH",
    "INSERT",
    "INTO",
    "E",
    "e",
    "U&",
    "u&",
    "B",
    "X",
    "N",
    "n",
    "x1",
    "éa",
    "_a$b",
    "a$b$",
    ";",
    ";\n",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "..",
    ":",
    "::",
    ":=",
    "'",
    "''",
    "'a''b'",
    "'a\\'",
    "E'a\\'b'",
    "E'\\\\'",
    "e'x",
    "B'01'",
    "X'ff'",
    "N'n'",
    "U&'d\\0061'",
    '"',
    '""',
    '"a""b"',
    'U&"q"',
    "$",
    "$$",
    "$$ ; $$",
    "$f$",
    "$f$ x $$ y $f$",
    "$_1$",
    "$_$",
    "$_$ a $$ b $_$",
    "$$ x $_$ y $$",
    "$__$",
    "$ $",
    "$1",
    "$12a",
    "1",
    "1.5",
    ".5",
    "1e10",
    "1.e-3",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "1..2",
    "--",
    "-- c\n",
    "-",
    "/*",
    "*/",
    "/* a /* b */ c */",
    "/* x */",
    "/",
    "+",
    "*",
    "#",
    "# c\n",
    "#>>",
    "<>",
    "!=",
    "@",
    "`",
    "~",
    "{",
    "}",
    "?",
    "\\set x 1\n",
    "\\",
    "\\.\n",
    "\\.",
    "\n",
    "\r\n",
    " ",
    "\t",
    "\u00a0",
    "\u2028",
    "\x0c",
    # words starting with a letter that may open a prefixed string, next to quotes and '&';
    # repetitions the lexer's regex matches possessively; non-ASCII word characters
    "Na",
    "nä",
    "Bé",
    "ux",
    "U&x",
    "u&'",
    "Ex",
    "x'",
    "b'1",
    "E'",
    "'''",
    "''''",
    '"""',
    "/**/",
    "/*/",
    "**/",
    "1e+",
    "0x_",
    "$$$",
    "é1",
    "_é",
    "ǅ",
    "²",
]

sql_text = (
    st.lists(st.sampled_from(FRAGMENTS), max_size=50).map("".join)
    | st.lists(st.sampled_from(FRAGMENTS), max_size=50).map(" ".join)
    | st.text(alphabet=st.sampled_from("aEeBUu&$'\"\\/*-#;:.()\n \t1_é"), max_size=80)
    | st.text(max_size=120)
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sql_text)
def test_same_front_end_on_random_sqlish_text(text: str) -> None:
    assert_same_front_end(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "SELECT 1",
        "COPY t FROM stdin;\n1\t2\n\\.\nSELECT 1;",
        "COPY t FROM stdin; SELECT 1;\nx\n",
        "COPY t FROM STDIN;\n1\n",
        "copy t from ſtdin;\nrow\n\\.\n",
        "# comment\nSELECT 1; # not a comment\n  # comment again\nSELECT 2 # op;",
        "/* a /* b */ c */ SELECT 1; /* unterminated /* x */",
        "SELECT $a$ x $a$, $$",
        "CREATE FUNCTION f() AS $$ SELECT '$$' $$; SELECT $_$ a $$ b $_$, $$$, $$x$$$;",
        "SELECT $$ a $_$ b $$ $_$ c $_$ $$",
        "SELECT $_$ never closed $$ $_ $",
        "SELECT 1 $$",
        "$$$$$_$$_$$$",
        "\\set x 1\r\nSELECT 1;\\x",
        "CREATE FUNCTION f() BEGIN ATOMIC SELECT CASE WHEN 1 THEN 2 END; END; SELECT 3;",
        "SELECT E'unterminated\\'",
        "SELECT U&\"x\" , u&'y', U&z, b'1', x'', n''",
        "\ufeffSELECT 1;",
    ],
)
def test_same_front_end_on_edge_cases(text: str) -> None:
    assert_same_front_end(text)


def test_same_front_end_when_every_dollar_quote_tag_gets_its_own_alternative() -> None:
    """The scan's per-tag alternatives (used in big texts) give the tokens that stopping the scan gives."""
    from unittest import mock

    import dsql_lint.text.lexer

    texts = [t for t in (_read(p) for p in LOCAL_FILES) if t is not None]
    texts += [
        "SELECT $a$ x $a$, $b$ $a$ y $b$, $a$ z $a$ $b$ w $b$;",
        "SELECT $a$ never closed $a $b$ $b$",
        "$x$$x$$x$ $x$$x$",
        "$é$ ä $é$ $é$ ö $é$",
        "SELECT $t$ '$t$' $t$ x $t$",
    ]
    with mock.patch.object(dsql_lint.text.lexer, "_TAGGED_FROM", -1):
        for text in texts:
            assert_same_front_end(text)
