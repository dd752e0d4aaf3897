"""A file's statements checked by libpg_query together get the verdicts each gets alone.

:func:`dsql_lint.frontend.pgsyntax.accepted` joins a file's statements into one text and
accepts a statement only when PostgreSQL's raw parser reports exactly its span;
everything else is asked alone. These tests compare it, statement by statement,
with the reference: ``pg_query_parse`` (the JSON-building call used before) on the
statement's own text, over the corpora and over generated multi-statement texts
made of the constructs where a joined text could be read differently (unterminated
quotes and comments, ``BEGIN ATOMIC`` bodies, rule actions, empty statements,
comments between statements, a last statement without ``;``, ASYNC, non-ASCII).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.frontend import pgsyntax
from dsql_lint.frontend.classify import classify, refine_with_ast
from dsql_lint.frontend.script import _needs_check, _tree_can_refine, build_script, parse_statement, parse_statements
from dsql_lint.frontend.split import split
from dsql_lint.model import UNPARSED, Statement
from dsql_lint.text.lexer import TokenKind, tokenize
from dsql_lint.text.source import Source

ROOT = Path(__file__).resolve().parent

LIBRARY = pgsyntax._PARSER
pytestmark = pytest.mark.skipif(
    not isinstance(LIBRARY, pgsyntax._Library), reason="libpg_query's C API is not exported"
)


def _checked(text: str) -> list[Statement]:
    """The statements of ``text`` that the syntax check asks PostgreSQL about."""
    source = Source("t.sql", text)
    statements = split(source, tokenize(text))
    for stmt in statements:
        classify(stmt)
    return [stmt for stmt in statements if _needs_check(stmt)]


def _alone(stmt: Statement) -> bool:
    """The reference verdict: ``pg_query_parse`` on the statement's own text."""
    assert isinstance(LIBRARY, pgsyntax._Library)
    text = pgsyntax.dsql_text(stmt)
    return text is not None and LIBRARY.error(text) is None


def _assert_same_verdicts(text: str) -> list[bool]:
    stmts = _checked(text)
    together = pgsyntax.accepted(stmts)
    alone = [_alone(stmt) for stmt in stmts]
    assert together == alone, [(stmt.text, t, a) for stmt, t, a in zip(stmts, together, alone, strict=True) if t != a]
    assert together == [pgsyntax.accepts(stmt) for stmt in stmts]
    return together


def _corpus_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.sql"))


def test_every_statement_of_the_test_corpus_gets_its_own_verdict() -> None:
    files = _corpus_files(ROOT / "corpus")
    assert files
    verdicts = [v for path in files for v in _assert_same_verdicts(path.read_text(encoding="utf-8"))]
    assert True in verdicts and False in verdicts


def test_every_statement_of_the_shared_corpus_gets_its_own_verdict(corpus_dir: Path) -> None:
    files = _corpus_files(corpus_dir)
    rejected = 0
    for path in files:
        rejected += _assert_same_verdicts(path.read_text(encoding="utf-8", errors="replace")).count(False)
    assert rejected > 100  # pg_regress rejects many statements on purpose: the error path is exercised


def test_with_small_batches_too(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pgsyntax, "_MOST_TOGETHER", 3)
    for path in _corpus_files(corpus_dir / "pg-regress")[:40]:
        _assert_same_verdicts(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT 1; SELECT 2; SELECT 3;", [True, True, True]),
        ("SELECT 1; SELEC 2; SELECT 3;", [True, False, True]),
        ("SELEC 1; SELECT 2;", [False, True]),
        ("SELECT 1; SELECT 2", [True, True]),  # the last statement without ';'
        ("SELECT 1; SELECT (2;", [True, False]),
        ("SELECT 1;\n-- between\n/* and */ SELECT 2;;;\nSELECT 3;", [True, True, True]),
        ("CREATE INDEX ASYNC i ON t (a); ALTER TABLE ASYNC t VALIDATE CONSTRAINT c; SELECT 'é';", [True] * 3),
        ("SELECT 1; SELECT 'a\x00b'; SELECT 2;", [True, False, True]),  # never asked about a NUL
        (
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3;",
            [True, True],
        ),
        (
            "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1;",
            [True, True],
        ),
    ],
)
def test_verdicts(text: str, expected: list[bool]) -> None:
    assert _assert_same_verdicts(text) == expected


def test_a_statement_rejected_only_when_joined_is_asked_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # A joined text that fails at the second statement: the first is checked again, the second alone.
    calls: list[bytes] = []
    assert isinstance(LIBRARY, pgsyntax._Library)
    split_once = LIBRARY.split

    def spy(text: bytes) -> pgsyntax.Split:
        calls.append(text)
        return split_once(text)

    monkeypatch.setattr(LIBRARY, "split", spy)
    assert pgsyntax.accepted(_checked("SELECT 1; SELECT 2; SELEC 3; SELECT 4; SELECT 5;")) == [
        True,
        True,
        False,
        True,
        True,
    ]
    assert calls == [b"SELECT 1;SELECT 2;SELEC 3;SELECT 4;SELECT 5;", b"SELECT 1;SELECT 2;", b"SELECT 4;SELECT 5;"]


def test_the_pglast_module_gives_the_same_verdicts() -> None:
    for path in _corpus_files(ROOT / "corpus")[:4]:
        stmts = _checked(path.read_text(encoding="utf-8"))
        assert pgsyntax.accepted(stmts, pgsyntax._Pglast()) == pgsyntax.accepted(stmts)
    stmts = _checked("SELECT 1; SELEC 2; CREATE INDEX ASYNC i ON t (a); SELECT (")
    assert pgsyntax.accepted(stmts, pgsyntax._Pglast()) == pgsyntax.accepted(stmts) == [True, False, True, False]


def test_the_lexers_error_token_is_always_its_last() -> None:
    # parse_statement looks for an unterminated token at the end of a statement only.
    for text in ("SELECT 'abc", 'SELECT "a', "SELECT $x$ a", "SELECT 1 /* a", "SELECT E'a\\'", "\\copy x\nSELECT 'a"):
        tokens = tokenize(text)
        assert tokens[-1].kind is TokenKind.ERROR
        assert all(tok.kind is not TokenKind.ERROR for tok in tokens[:-1])


@given(st.text(alphabet="ab ;'\"$/*-\n\\E(", max_size=60))
@settings(max_examples=300, deadline=None)
def test_the_lexers_error_token_is_always_its_last_property(text: str) -> None:
    tokens = tokenize(text)
    assert all(tok.kind is not TokenKind.ERROR for tok in tokens[:-1])


def _state(stmts: list[Statement]) -> list[tuple[object, ...]]:
    return [(s.kind, s.tag, s.parse_failure, s._ast is UNPARSED, s._ast is None) for s in stmts]


def _same_check(text: str) -> None:
    together = split(Source("t.sql", text), tokenize(text))
    alone = split(Source("t.sql", text), tokenize(text))
    for stmt in together:
        classify(stmt)
    parse_statements(together)
    for stmt in alone:
        classify(stmt)
        parse_statement(stmt)
    assert _state(together) == _state(alone)
    # build_script as it was: classify, parse and refine one statement after the other
    before = split(Source("t.sql", text), tokenize(text))
    for stmt in before:
        classify(stmt)
        parse_statement(stmt)
        if _tree_can_refine(stmt):
            refine_with_ast(stmt)
    assert _state(build_script(Source("t.sql", text)).statements) == _state(before)


def test_build_script_records_what_parse_statement_does() -> None:
    _same_check((ROOT / "corpus" / "mixed.sql").read_text(encoding="utf-8"))
    _same_check("SELECT 1; SELEC 2; SELECT 'unterminated")
    _same_check("\\connect db\nCOPY t FROM stdin;\n1\t2\n\\.\nSELECT 1__000;\nCREATE INDEX ASYNC i ON t (a)")


_STATEMENTS = [
    "SELECT 1",
    "SELECT a, b FROM t WHERE c = 'x;y' ORDER BY 1",
    "CREATE TABLE t (a int PRIMARY KEY, b text DEFAULT 'é')",
    "CREATE INDEX ASYNC i ON t (a)",
    "CREATE UNIQUE INDEX ASYNC IF NOT EXISTS i ON t (a)",
    "ALTER TABLE ASYNC t VALIDATE CONSTRAINT c",
    "INSERT INTO t VALUES (1, 'a''b')",
    "SELECT E'a\\'b'",
    "SELECT 'a\\'",
    "SELECT $$ a; b $$",
    "SELECT $q$ $$; $q$",
    "SELECT U&'d\\0061t\\+000061' UESCAPE '\\'",
    'SELECT "a;b" FROM "t"',
    "SELECT 1 /* a /* nested; */ still */",
    "SELECT 1 -- c; d\n",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC",
    "END",
    "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY b)",
    "SELECT NOT",
    "SELECT * FROM t WHERE a NOT IN (1)",
    "WITH x AS (SELECT 1) SELECT * FROM x",
    "SELECT 1__000",
    "SELEC 1",
    "SELECT (1",
    "SELECT 1)",
    "CREATE TABLE t (using text)",
    "SELECT 'unterminated",
    'SELECT "unterminated',
    "SELECT $x$ unterminated",
    "SELECT 1 /* unterminated",
    "SELECT 'a' 'b'",
    "SELECT 'a'\n'b'",
    "\\set x 1\n",
    "COPY t FROM stdin;\n1\n\\.\n",
    "BEGIN",
    "COMMIT",
    "",
    "SELECT :x",
]
_SEPARATORS = [";", ";\n", "; ", ";;", "\n", " ", "; -- c\n", ";/* c */", "\n;\n", ""]


@st.composite
def _scripts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(_STATEMENTS), st.sampled_from(_SEPARATORS)), max_size=8))
    text = "".join(stmt + sep for stmt, sep in parts)
    if draw(st.booleans()) and text:  # cut anywhere: half statements, open quotes
        text = text[: draw(st.integers(0, len(text)))]
    return text


@given(_scripts())
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_scripts_get_each_statements_own_verdict(text: str) -> None:
    _assert_same_verdicts(text)


@given(_scripts())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_scripts_in_small_batches(text: str) -> None:
    saved = pgsyntax._MOST_TOGETHER
    pgsyntax._MOST_TOGETHER = 2
    try:
        _assert_same_verdicts(text)
    finally:
        pgsyntax._MOST_TOGETHER = saved


def _together(texts: list[str]) -> list[bool]:
    verdicts = [False] * len(texts)
    assert isinstance(LIBRARY, pgsyntax._Library)
    pgsyntax._check_together(LIBRARY, list(range(len(texts))), list(texts), verdicts)
    return verdicts


def _alone_texts(texts: list[str]) -> list[bool]:
    assert isinstance(LIBRARY, pgsyntax._Library)
    return [LIBRARY.error(pgsyntax._ascii(text)) is None for text in texts]


@pytest.mark.parametrize(
    "texts",
    [
        # PostgreSQL reads statement boundaries elsewhere than the splitter said, and the text parses:
        ["SELECT 1; SELECT 2;", "SELECT 3;"],
        ["CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;", "SELECT 2;", "END;", "SELECT 3;"],
        ["SELECT 'abc;", "SELECT 1;", "SELECT 2';", "SELEC 3;", "SELECT 4;"],  # a quote swallows statements
        ["SELECT 1 /* a;", "SELECT 2 */;", "SELECT 3"],
        # ... and the statements before the error fail together too:
        ["SELECT 'abc;", "SELECT 1;", "SELECT 2' FROM;", "SELECT 3;"],
        ["SELECT 1;", "SELECT $x$;", "SELECT 2;", "SELEC $x$;", "SELECT 3;"],
        ["SELECT 1;", "SELECT (2;", "SELECT 3);", "SELECT 4;"],
        [";", "SELECT 1;", ";", "SELECT 2"],  # empty statements
    ],
)
def test_any_texts_checked_together_get_their_own_verdicts(texts: list[str]) -> None:
    assert _together(texts) == _alone_texts(texts)


_PIECES = [
    "SELECT",
    " 1",
    " a",
    "'",
    '"',
    "$x$",
    "$$",
    "/*",
    "*/",
    "--",
    "\n",
    "(",
    ")",
    ";",
    " BEGIN ATOMIC",
    " END",
    "é",
    "E'\\'",
    "\\",
]


@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), min_size=2, max_size=6), st.booleans())
@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_texts_checked_together_get_their_own_verdicts(texts: list[str], last_open: bool) -> None:
    # The batch's contract: every text ends with ';' but the last, which may not.
    texts = [text if text.endswith(";") else text + ";" for text in texts]
    if last_open:
        texts[-1] = texts[-1][:-1]
    assert _together(texts) == _alone_texts(texts)
