"""Proof of every fix a rule declares, from its own page in rules/.

For every built-in rule whose ``fix_safety`` is not None:

- the page's Fix section says ``safe`` or ``unsafe`` as the rule declares, and shows
  at least one ```` ```sql before ```` / ```` ```sql after ```` pair;
- fixing the ``before`` block (only that rule selected, unsafe fixes allowed) gives
  exactly the ``after`` block, and fixing ``after`` again changes nothing;
- every ``bad`` example and every ``before`` block, once fixed, still parses (no
  DSQL001), and has no finding of the rule left that carried a fix; at least one
  bad example per page is fixable, so the page exercises the fix;
- comments placed before, after and inside the statements (between every two
  tokens that no edit touches) survive the fix byte-for-byte.

Rules without a declared fix must not attach fixes to their findings.
"""

from __future__ import annotations

import itertools
import re

import pytest

from dsql_lint.config.settings import Settings
from dsql_lint.fix.apply import Analyse, FixOutcome, analyser, fix_source
from dsql_lint.frontend.script import build_script
from dsql_lint.model import Diagnostic, Kind
from dsql_lint.rules.api import Rule
from dsql_lint.rules.docs import examples, page_path
from dsql_lint.rules.registry import all_rules
from dsql_lint.run.lint import make_linter
from dsql_lint.text.lexer import TokenKind
from dsql_lint.text.source import Source

BUILTIN = [r for r in all_rules() if r.__module__.startswith("dsql_lint.") and page_path(r) is not None]
FIXABLE = [r for r in BUILTIN if r.fix_safety is not None]
NOT_FIXABLE = [r for r in BUILTIN if r.fix_safety is None]


def _page(rule: type[Rule]) -> str:
    path = page_path(rule)
    assert path is not None
    return path.read_text(encoding="utf-8")


def _blocks(rule: type[Rule], label: str) -> list[str]:
    return [b.sql for b in examples(_page(rule)) if b.label == label]


def _fix_section(rule: type[Rule]) -> str:
    text = _page(rule)
    match = re.search(r"^## Fix\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert match, f"{rule.code} page has no '## Fix' section"
    return match.group(1)


def _analyse_only(rule: type[Rule]) -> Analyse:
    """Lint with every rule (preset ``all``), but see only ``rule``'s findings, so only its fixes apply."""
    # Every rule on, but the house rule against identity columns (DSQL901): with it on, no fix
    # may write an identity column (SERIAL gets none, see test_fix_agrees_with_rules.py); the
    # pages show the fixes of the default rule set.
    ignore = [] if rule.code == "DSQL901" else ["DSQL901"]
    analyse = analyser(make_linter(Settings(preset="all", ignore=ignore)))

    def only(source: Source) -> tuple[list[Diagnostic], int]:
        found, failures = analyse(source)
        return [d for d in found if d.code == rule.code], failures

    return only


def _fix(rule: type[Rule], sql: str, path: str = "example.sql") -> FixOutcome:
    """``sql`` with ``rule``'s fixes applied, unsafe ones included."""
    return fix_source(Source(path, sql), _analyse_only(rule), unsafe=True)


def _parse_failures(sql: str, *, postgresql: bool = True) -> list[str]:
    """Statements that do not parse; without ``postgresql``, those only PostgreSQL's grammar rejects are left out.

    Some rules exist for syntax PostgreSQL itself rejects (DSQL305: a schema-qualified index
    name), so their bad examples fail PostgreSQL's grammar by design; what they must do is
    parse with sqlglot (comments are placed by its rules) and parse completely once fixed.
    """
    script = build_script(Source("fixed.sql", sql))
    return [
        f"{s.text!r}: {s.parse_failure.message}"
        for s in script.statements
        if s.parse_failure is not None and (postgresql or not s.parse_failure.by_postgresql)
    ]


def _fixable_findings(rule: type[Rule], sql: str) -> list[str]:
    found = _analyse_only(rule)(Source("example.sql", sql))[0]
    return [d.message for d in found if d.fix is not None]


def _pairs(rule: type[Rule]) -> list[tuple[str, str]]:
    blocks = [b for b in examples(_page(rule)) if b.label in ("before", "after")]
    pairs = []
    for first, second in zip(blocks[::2], blocks[1::2], strict=False):
        assert (first.label, second.label) == ("before", "after"), (
            f"{rule.code} page: a ```sql before``` block must be followed by its ```sql after``` block "
            f"(line {first.line})"
        )
        pairs.append((first.sql, second.sql))
    assert len(blocks) % 2 == 0, f"{rule.code} page has a before block without an after block"
    return pairs


def _insert_markers(sql: str, gaps: list[int]) -> tuple[str, list[str]]:
    markers = []
    out = []
    pos = 0
    for i, gap in enumerate(sorted(set(gaps))):
        marker = f"/* keep-{i} */"
        markers.append(marker)
        out.append(sql[pos:gap])
        out.append(" " + marker)
        pos = gap
    out.append(sql[pos:])
    body = "".join(out)
    before, after = "-- keep-before: a comment above the statement", "-- keep-after: a comment below it"
    return f"{before}\n{body.rstrip()}\n{after}\n", [*markers, before, after]


def _with_comments(sql: str, outcome_edits: list[tuple[int, int]]) -> tuple[str, list[str]]:
    """``sql`` with a marker comment before, after, and in every token gap that no edit touches.

    sqlglot cannot read a comment inside some multi-word keywords (``PRIMARY /* c */ KEY``):
    when the fully commented text does not parse, only the gaps where a comment alone
    keeps the statement parsing get one.
    """
    script = build_script(Source("example.sql", sql))
    gaps: list[int] = []
    for stmt in script.statements:
        if stmt.kind in (Kind.PSQL_META, Kind.COPY_DATA):
            continue
        for left, right in itertools.pairwise(stmt.tokens):
            if "." in (left.text, right.text) and TokenKind.PUNCT in (left.kind, right.kind):
                continue  # keep qualified names in one piece for the parser
            if any(start <= right.start and left.end <= end for start, end in outcome_edits):
                continue
            gaps.append(left.end)
    commented, markers = _insert_markers(sql, gaps)
    if _parse_failures(commented, postgresql=False):
        gaps = [gap for gap in gaps if not _parse_failures(_insert_markers(sql, [gap])[0], postgresql=False)]
        commented, markers = _insert_markers(sql, gaps)
    return commented, markers


def _edit_spans(rule: type[Rule], sql: str) -> list[tuple[int, int]]:
    found = _analyse_only(rule)(Source("example.sql", sql))[0]
    return [(e.start, e.end) for d in found if d.fix is not None for e in d.fix.edits]


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.code)
def test_fix_section_says_safe_or_unsafe_and_shows_a_before_after_pair(rule: type[Rule]) -> None:
    section = _fix_section(rule)
    word = rule.fix_safety.value if rule.fix_safety else ""
    assert re.search(rf"\b{word}\b", section, re.IGNORECASE), f"{rule.code} page's Fix section does not say {word}"
    assert _pairs(rule), f"{rule.code} declares a fix, but its page shows no ```sql before``` / ```sql after``` pair"


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.code)
def test_before_block_fixes_to_exactly_the_after_block(rule: type[Rule]) -> None:
    for before, after in _pairs(rule):
        outcome = _fix(rule, before)
        assert outcome.source.text == after, f"{rule.code}: the fix of\n{before}\ngave\n{outcome.source.text}"
        again = _fix(rule, outcome.source.text)
        assert not again.changed, f"{rule.code}: a second --fix changed\n{outcome.source.text}"


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.code)
def test_fixed_examples_parse_and_have_no_fixable_finding_left(rule: type[Rule]) -> None:
    bad = _blocks(rule, "bad")
    any_fixable = False
    for sql in bad + [before for before, _ in _pairs(rule)]:
        if not _fixable_findings(rule, sql):
            continue
        any_fixable = True
        outcome = _fix(rule, sql)
        assert outcome.changed
        assert not outcome.rolled_back, f"{rule.code}: a fix was rolled back on\n{sql}"
        assert _parse_failures(outcome.source.text) == _parse_failures(sql, postgresql=False) == [], outcome.source.text
        left = _fixable_findings(rule, outcome.source.text)
        assert not left, f"{rule.code} still fires after its fix:\n{outcome.source.text}\n{left}"
    assert any_fixable or not bad, f"{rule.code} declares a fix, but none of its page's bad examples is fixable"


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.code)
def test_comments_inside_and_around_fixed_statements_survive(rule: type[Rule]) -> None:
    for sql in _blocks(rule, "bad") + [before for before, _ in _pairs(rule)]:
        if not _fixable_findings(rule, sql):
            continue
        commented, markers = _with_comments(sql, _edit_spans(rule, sql))
        assert not _parse_failures(commented, postgresql=False), commented
        outcome = _fix(rule, commented)
        assert outcome.changed, f"{rule.code}: no fix applied once comments were added:\n{commented}"
        for marker in markers:
            assert outcome.source.text.count(marker) == 1, f"{rule.code} lost {marker!r}:\n{outcome.source.text}"
        assert not _fixable_findings(rule, outcome.source.text), outcome.source.text


@pytest.mark.parametrize("rule", NOT_FIXABLE, ids=lambda r: r.code)
def test_rules_without_a_declared_fix_attach_none(rule: type[Rule]) -> None:
    for sql in _blocks(rule, "bad"):
        found = _analyse_only(rule)(Source("example.sql", sql))[0]
        with_fix = [d.message for d in found if d.fix is not None]
        assert not with_fix, f"{rule.code} has fix_safety None but attaches fixes: {with_fix}"
