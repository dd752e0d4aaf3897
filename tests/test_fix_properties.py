"""Property-based proof that fixes edit only their spans (hypothesis).

Statements around fixable constructs (CREATE INDEX without ASYNC or with
CONCURRENTLY, ASC/DESC keys, SERIAL columns, transactions that mix DDL and DML or
run several DDL statements) are generated with random keyword case, random
whitespace and comments between every two tokens. Then, with unsafe fixes on:

- every edit lies on tokens and the blanks beside them: no edit overlaps a comment
  or spans a line break of the original;
- the first pass's output is the original text with exactly those edits, so
  everything outside the edited spans is unchanged;
- after fixing to the fixpoint every comment is still there once, in order, and the
  original line breaks are all kept;
- the result parses, no finding that had a fix is left, and a second ``--fix``
  changes nothing.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsql_lint.config.settings import Settings
from dsql_lint.fix.apply import analyser, apply_edits, fix_source, is_allowed
from dsql_lint.frontend.script import build_script
from dsql_lint.run.lint import make_linter
from dsql_lint.text.lexer import TokenKind, tokenize
from dsql_lint.text.source import Source

ANALYSE = analyser(make_linter(Settings(preset="compat")))

COMMENT = re.compile(r"/\* c\d+ \*/|-- c\d+")


@st.composite
def keyword(draw: st.DrawFn, word: str) -> str:
    """``word`` in upper, lower or title case."""
    return draw(st.sampled_from([word.upper(), word.lower(), word.capitalize()]))


@st.composite
def index_statement(draw: st.DrawFn) -> list[str]:
    kw = lambda w: draw(keyword(w))  # noqa: E731
    tokens = [kw("create")]
    if draw(st.booleans()):
        tokens.append(kw("unique"))
    tokens.append(kw("index"))
    if draw(st.booleans()):
        tokens.append(kw("concurrently"))
    elif draw(st.booleans()):
        tokens.append(kw("async"))
    if draw(st.booleans()):
        tokens += [kw("if"), kw("not"), kw("exists")]
    tokens += [draw(st.sampled_from(["users_email", '"Idx Users"', "ix1"])), kw("on")]
    tokens += [draw(st.sampled_from(["users", '"Users"', "app.users"])), "("]
    keys = draw(st.lists(st.sampled_from(["email", "created_at", '"desc"', "lower(email)"]), min_size=1, max_size=3))
    for i, key in enumerate(keys):
        if i:
            tokens.append(",")
        tokens += ["(", "lower", "(", "email", ")", ")"] if key == "lower(email)" else [key]
        order = draw(st.sampled_from(["", "asc", "desc"]))
        if order:
            tokens.append(kw(order))
        if draw(st.booleans()):
            tokens += [kw("nulls"), kw(draw(st.sampled_from(["first", "last"])))]
    tokens += [")", ";"]
    return tokens


@st.composite
def table_statement(draw: st.DrawFn) -> list[str]:
    kw = lambda w: draw(keyword(w))  # noqa: E731
    serial = draw(st.sampled_from(["serial", "bigserial", "SERIAL", "smallserial", "uuid"]))
    tokens = [kw("create"), kw("table"), draw(st.sampled_from(["orders", '"Orders"', "app.orders"])), "("]
    tokens += ["id", serial, kw("primary"), kw("key"), ",", "note", kw("text"), ")", ";"]
    return tokens


@st.composite
def transaction(draw: st.DrawFn) -> list[str]:
    kw = lambda w: draw(keyword(w))  # noqa: E731
    opening = draw(st.sampled_from([["begin"], ["begin", "work"], ["start", "transaction"]]))
    tokens = [kw(w) for w in opening] + [";"]
    tokens += [kw("create"), kw("table"), "a", "(", "x", kw("int"), ")", ";"]
    body = draw(
        st.lists(
            st.sampled_from(
                [
                    ["create", "index", "async", "a_x", "on", "a", "(", "x", ")", ";"],
                    ["insert", "into", "a", "values", "(", "1", ")", ";"],
                    ["alter", "table", "a", "add", "column", "y", "text", ";"],
                    ["select", "1", ";"],
                ]
            ),
            min_size=1,
            max_size=3,
        )
    )
    for stmt in body:
        tokens += [kw(w) if w.isalpha() else w for w in stmt]
    tokens += [kw(draw(st.sampled_from(["commit", "end"]))), ";"]
    return tokens


SEPARATORS = [" ", "  ", "\t", "\n", "\n    ", " {block} ", " {line}\n", "\n{line}\n", "\n\n{block}\n"]


@st.composite
def script(draw: st.DrawFn) -> str:
    """One to three statements, every two tokens separated by random blanks and comments."""
    statements = draw(st.lists(st.one_of(index_statement(), table_statement(), transaction()), min_size=1, max_size=3))
    parts: list[str] = []
    counter = 0
    for tokens in statements:
        for tok in tokens:
            if parts:
                sep = " " if tok in (".",) else draw(st.sampled_from(SEPARATORS))
                if "{" in sep:
                    counter += 1
                    sep = sep.format(block=f"/* c{counter} */", line=f"-- c{counter}")
                # A function name and its "(" stay together, as do qualified names.
                if tok == "(" and parts[-1].lower() == "lower":
                    sep = ""
                parts.append(sep)
            parts.append(tok)
        parts.append("\n")
    return "".join(parts)


def _comments(text: str) -> list[str]:
    return COMMENT.findall(text)


def _parse_failures(text: str) -> int:
    return sum(1 for s in build_script(Source("p.sql", text)).statements if s.parse_failure is not None)


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(script())
def test_edits_lie_on_tokens_and_never_on_comments_or_line_breaks(sql: str) -> None:
    found, _ = ANALYSE(Source("p.sql", sql))
    comments = [t for t in tokenize(sql) if t.kind in (TokenKind.COMMENT, TokenKind.BLOCK_COMMENT)]
    for d in found:
        if not is_allowed(d.fix, unsafe=True):
            continue
        assert d.fix is not None
        for edit in d.fix.edits:
            assert "\n" not in sql[edit.start : edit.end], (d.code, edit)
            for c in comments:
                assert not (c.start < edit.end and edit.start < c.end), (d.code, edit, c.text)


@PROPERTY_SETTINGS
@given(script())
def test_one_pass_changes_only_the_edited_spans(sql: str) -> None:
    outcome = fix_source(Source("p.sql", sql), ANALYSE, unsafe=True, max_passes=1)
    if not outcome.applied:
        assert outcome.source.text == sql
        return
    (edits,) = outcome.applied
    assert outcome.source.text == apply_edits(sql, edits)
    # Outside the edits, the text is the original's, piece by piece.
    pos = 0
    out = outcome.source.text
    shift = 0
    for edit in edits:
        piece = sql[pos : edit.start]
        assert out[pos + shift : edit.start + shift] == piece
        shift += len(edit.text) - (edit.end - edit.start)
        pos = edit.end
    assert out[pos + shift :] == sql[pos:]


@PROPERTY_SETTINGS
@given(script())
def test_fixing_keeps_every_comment_and_line_break_and_reaches_a_fixpoint(sql: str) -> None:
    outcome = fix_source(Source("p.sql", sql), ANALYSE, unsafe=True)
    fixed = outcome.source.text
    assert _comments(fixed) == _comments(sql)
    # Edits never span a line break (first property), so only inserted ones change the count.
    inserted_newlines = sum(e.text.count("\n") for edits in outcome.applied for e in edits)
    assert fixed.count("\n") == sql.count("\n") + inserted_newlines
    assert not outcome.stopped_early
    assert _parse_failures(fixed) <= _parse_failures(sql)
    again = fix_source(Source("p.sql", fixed), ANALYSE, unsafe=True)
    assert again.source.text == fixed
    if not outcome.rolled_back:
        left = [(d.code, d.message) for d in again.remaining if is_allowed(d.fix, unsafe=True)]
        assert not left, (fixed, left)
