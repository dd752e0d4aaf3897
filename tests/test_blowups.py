"""The sweep's blow-ups, kept from coming back without timing anything.

Work is counted (comparisons made, memory allocated), never measured in seconds; the
timings at two sizes are ``benchmarks/blowups.py``'s job.
"""

from __future__ import annotations

import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from dsql_lint.config.globs import _compile
from dsql_lint.fix.apply import (
    _Chosen,
    choose_fixes,
    edits_conflict,
    fixes_conflict,
    is_well_formed,
    shift_offset,
    shift_table,
)
from dsql_lint.lint import suppress_comments
from dsql_lint.model import Diagnostic, Edit, Fix, FixSafety, Severity
from dsql_lint.run.lint import lint_source, make_linter
from dsql_lint.text import lexer
from dsql_lint.text.lexer import TokenKind, tokenize, tokens_of
from dsql_lint.text.source import Source


def _reference_choose(candidates: list[Diagnostic], length: int) -> list[_Chosen]:
    """The first implementation: every candidate against every chosen fix."""
    chosen: list[_Chosen] = []
    for d in sorted(candidates, key=lambda d: (d.start, d.end, d.code)):
        fix = d.fix
        if fix is None or not is_well_formed(fix, length):
            continue
        same = next((c for c in chosen if set(c.fix.edits) == set(fix.edits)), None)
        if same is not None:
            same.diagnostics.append(d)
            continue
        if any(fixes_conflict(c.fix, fix) for c in chosen):
            continue
        chosen.append(_Chosen(fix, [d]))
    return chosen


def _diagnostic(start: int, edits: tuple[Edit, ...], code: str = "DSQL301") -> Diagnostic:
    return Diagnostic(
        path="x.sql", line=1, column=start + 1, end_line=1, end_column=start + 2, code=code, name="n",
        severity=Severity.ERROR, message="m", help="h", url="u", start=start, end=start + 1,
        fix=Fix(edits, FixSafety.SAFE, "t"),
    )  # fmt: skip


_EDIT = st.builds(
    lambda start, size, text: Edit(start, start + size, text),
    st.integers(0, 60),
    st.integers(0, 4),
    st.sampled_from(["", "x", "ASYNC "]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.lists(_EDIT, min_size=1, max_size=3)), max_size=25))
def test_choosing_fixes_picks_what_the_quadratic_first_version_picked(items: list[tuple[int, list[Edit]]]) -> None:
    candidates = [_diagnostic(start, tuple(edits)) for start, edits in items]
    expected = _reference_choose([_diagnostic(d.start, d.fix.edits) for d in candidates], 70)  # type: ignore[union-attr]
    got = choose_fixes(candidates, 70)
    assert [(c.fix.edits, [d.start for d in c.diagnostics]) for c in got] == [
        (c.fix.edits, [d.start for d in c.diagnostics]) for c in expected
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(_EDIT, max_size=12), st.integers(0, 80))
def test_shifting_by_bisection_equals_the_pass_over_every_edit(raw: list[Edit], offset: int) -> None:
    edits: list[Edit] = []
    for edit in sorted(raw, key=lambda e: (e.start, e.end)):
        if not edits or not edits_conflict(edits[-1], edit):
            edits.append(edit)
    assert shift_offset(offset, edits, shift_table(edits)) == shift_offset(offset, edits)


def test_a_noqa_with_thousands_of_codes_is_looked_up_not_scanned(monkeypatch: object) -> None:
    from dsql_lint.frontend.script import build_script

    codes = ",".join(f"DSQL{i % 900 + 100}" for i in range(3000))
    source = Source("x.sql", "CREATE INDEX i ON t (a); -- noqa: " + codes + "\n")
    script = build_script(source)
    suppressions, _ = suppress_comments.parse_suppressions(script)
    finding = lint_source(Source("y.sql", "CREATE INDEX i ON t (a);\n"), make_linter()).diagnostics[0]
    calls = 0
    real = suppress_comments.CodeRef.matches

    def counted(self: suppress_comments.CodeRef, code: str) -> bool:
        nonlocal calls
        calls += 1
        return real(self, code)

    monkeypatch.setattr(suppress_comments.CodeRef, "matches", counted)  # type: ignore[attr-defined]
    for _ in range(50):
        assert suppress_comments.suppressed(finding, suppressions)
    assert calls == 0  # was 3,000 per finding: every code of the comment, for every finding
    assert [ref.used for ref in suppressions[0].codes if ref.code == "DSQL301"] == [True, True, True, True]


def test_an_unterminated_string_takes_memory_in_proportion_to_the_file() -> None:
    text = "SELECT '" + "x" * 1_000_000 + "\n"
    tracemalloc.start()
    try:
        tokens = tokenize(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert tokens[-1].kind is TokenKind.ERROR
    assert peak < 10 * len(text)  # was ~360 times the text: the regex kept a state per character


def test_repeated_double_star_globs_are_one_segment() -> None:
    assert _compile("**/**/**/**/**/**/x.sql").pattern == _compile("**/x.sql").pattern


def test_add_noqa_lookups_by_bisection_equal_the_passes_over_every_token() -> None:
    from pathlib import Path

    from dsql_lint.fix import noqa
    from dsql_lint.frontend.script import build_script

    def spanning(tokens: list, offset: int) -> object:  # the first version: a pass over every token
        for tok in tokens:
            if tok.start < offset < tok.end and tok.kind is not TokenKind.COMMENT:
                return tok
            if tok.start >= offset:
                break
        return None

    def statement_of(script: object, offset: int) -> object:
        for stmt in script.statements:  # type: ignore[attr-defined]
            if stmt.start <= offset < max(stmt.end, stmt.start + 1):
                return stmt
        return None

    corpus = Path(__file__).resolve().parent / "corpus"
    checked = 0
    for path in sorted(corpus.glob("*.sql")):
        script = build_script(Source(path.name, path.read_text(encoding="utf-8")))
        text = script.source.text
        for offset in range(0, len(text), 7):
            assert noqa._spanning(script.tokens, offset) is spanning(script.tokens, offset)
            assert noqa._statement_of(script, offset) is statement_of(script, offset)
            checked += 1
    assert checked > 1000


def test_a_big_insert_is_lexed_in_memory_in_proportion_to_the_file() -> None:
    rows = ",".join(f"({i}, 'v{i}')" for i in range(130_000))
    text = f"INSERT INTO t (a, b) VALUES {rows};"
    assert len(text) >= lexer.PACK_FROM
    tracemalloc.start()
    try:
        tokens = tokens_of(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(tokens) == 10 + 130_000 * 6 - 1
    assert peak < 12 * len(text)  # 9x measured; a list of token objects is 46x (10.9 MB: 494 MB)
