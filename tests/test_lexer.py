"""The lexer: exact token spans, and nothing inside strings/comments/bodies becomes a keyword."""

from __future__ import annotations

import re

import pytest

from dsql_lint.text.lexer import TokenKind, tokenize


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.kind.value, t.text) for t in tokenize(text)]


def test_token_offsets_slice_the_source_exactly() -> None:
    text = "SELECT 'a;b', \"Desc\" FROM t -- done\n/* c */;"
    for tok in tokenize(text):
        assert text[tok.start : tok.end] == tok.text


def test_escape_string_keeps_escaped_quote_inside() -> None:
    assert kinds(r"SELECT E'it\'s; DESC', 1") == [
        ("word", "SELECT"),
        ("string", r"E'it\'s; DESC'"),
        ("punct", ","),
        ("number", "1"),
    ]


def test_standard_string_doubles_quotes_and_ignores_backslash() -> None:
    assert kinds(r"SELECT 'a\', 'b''c'")[1:] == [("string", "'a\\'"), ("punct", ","), ("string", "'b''c'")]


def test_dollar_quotes_with_and_without_tags() -> None:
    toks = tokenize("AS $$ SELECT 1; $$ , $fn$ x $$ y $fn$")
    assert [t.kind for t in toks] == [TokenKind.WORD, TokenKind.DOLLAR, TokenKind.PUNCT, TokenKind.DOLLAR]
    assert toks[3].text == "$fn$ x $$ y $fn$"


class _Counted:
    """A token-scan pattern that records where each of its scans starts."""

    def __init__(self, pattern: re.Pattern[str], scans: list[int]) -> None:
        self.pattern = pattern
        self.scans = scans

    def findall(self, text: str, pos: int = 0) -> list[str]:
        self.scans.append(pos)
        return self.pattern.findall(text, pos)


def _count_scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Where each token scan of the lexer starts, from now on (the per-tag variants too)."""
    import dsql_lint.text.lexer

    scans: list[int] = []
    fast_with = dsql_lint.text.lexer._fast_with
    monkeypatch.setattr(dsql_lint.text.lexer, "_FAST", _Counted(dsql_lint.text.lexer._FAST, scans))
    monkeypatch.setattr(dsql_lint.text.lexer, "_fast_with", lambda tags: _Counted(fast_with(tags), scans))
    return scans


def test_common_dollar_quotes_do_not_stop_the_token_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """$$ and $_$ bodies are whole tokens of the one scan: a scan that stopped at each (and copied the
    rest of the text) made a file full of functions quadratic. Other tags still stop it, one scan each."""
    scans = _count_scans(monkeypatch)
    body = "CREATE FUNCTION f{0}() RETURNS int AS $$ SELECT '$' || $1 $$ LANGUAGE sql;\n"
    dumped = "CREATE FUNCTION g{0}() RETURNS text AS $_$ SELECT '$$' $_$ LANGUAGE sql;\n"
    text = "".join(body.format(n) + dumped.format(n) for n in range(50))
    toks = tokenize(text)
    assert len(scans) == 1
    assert [t.text for t in toks if t.kind is TokenKind.DOLLAR][:2] == ["$$ SELECT '$' || $1 $$", "$_$ SELECT '$$' $_$"]
    assert sum(t.kind is TokenKind.DOLLAR for t in toks) == 100
    scans.clear()
    tokenize("SELECT $fn$ a $fn$, $x$ b $x$;")
    assert len(scans) == 3


def test_in_a_big_text_other_tags_stop_the_scan_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past a few tens of KB, a tag that stopped the scan gets its own alternative: the scan goes on."""
    import dsql_lint.text.lexer

    scans = _count_scans(monkeypatch)
    function = "CREATE FUNCTION f{0}() RETURNS int AS $fn$ SELECT '$fn' || $1 || $$x$$ $fn$ LANGUAGE sql;\n"
    other = "CREATE FUNCTION g{0}() RETURNS int AS $BODY$ SELECT 1 $BODY$ LANGUAGE sql;\n"
    text = "".join(function.format(n) + other.format(n) for n in range(1500))
    assert len(text) > dsql_lint.text.lexer._TAGGED_FROM * 2
    tagged = tokenize(text)
    assert len(scans) == 3  # stopped once by $fn$, once by $BODY$, then to the end
    monkeypatch.setattr(dsql_lint.text.lexer, "_TAGGED_FROM", len(text))  # never: every quote stops the scan
    scans.clear()
    assert [(t.kind, t.start, t.end, t.text) for t in tokenize(text)] == [
        (t.kind, t.start, t.end, t.text) for t in tagged
    ]
    assert len(scans) == 3001
    assert sum(t.kind is TokenKind.DOLLAR for t in tagged) == 3000


def test_positional_parameter_is_not_a_dollar_quote() -> None:
    assert kinds("SELECT $1, a$b$") == [("word", "SELECT"), ("param", "$1"), ("punct", ","), ("word", "a$b$")]


def test_nested_block_comments() -> None:
    toks = tokenize("/* a /* b */ still comment */ SELECT 1")
    assert toks[0].kind is TokenKind.BLOCK_COMMENT
    assert toks[0].text == "/* a /* b */ still comment */"
    assert toks[1].text == "SELECT"


def test_quoted_identifier_with_doubled_quote() -> None:
    toks = tokenize('SELECT "a""b", U&"d\\0061t"')
    assert toks[1].kind is TokenKind.QIDENT and toks[1].identifier == 'a"b'
    assert toks[3].kind is TokenKind.QIDENT


def test_operators_stop_before_comment_starts() -> None:
    assert kinds("SELECT 1+-- c\n2") == [
        ("word", "SELECT"),
        ("number", "1"),
        ("op", "+"),
        ("comment", "-- c"),
        ("number", "2"),
    ]


def test_psql_meta_command_is_one_token_to_end_of_line() -> None:
    toks = tokenize("\\set ON_ERROR_STOP on\nSELECT 1;")
    assert toks[0].kind is TokenKind.META and toks[0].text == "\\set ON_ERROR_STOP on"


def test_copy_from_stdin_data_block_is_not_sql() -> None:
    text = "COPY t (a) FROM stdin;\n1\tDROP TABLE x;\n\\.\nSELECT 1;"
    toks = tokenize(text)
    data = [t for t in toks if t.kind is TokenKind.COPY_DATA]
    assert len(data) == 1 and "DROP TABLE x" in data[0].text
    assert toks[-2].text == "1" and toks[-3].text == "SELECT"


def test_unterminated_literals_become_error_tokens() -> None:
    for text in ("SELECT 'abc", 'SELECT "abc', "SELECT $$ abc", "SELECT E'abc\\'", "SELECT /* abc"):
        toks = tokenize(text)
        assert toks[-1].kind is TokenKind.ERROR, text
        assert toks[-1].end == len(text)


def test_hash_line_comment_only_before_a_statement() -> None:
    toks = tokenize("# note\nSELECT a # b FROM t;")
    assert toks[0].kind is TokenKind.COMMENT
    assert ("op", "#") in [(t.kind.value, t.text) for t in toks[1:]]
