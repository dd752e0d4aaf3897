"""Every built-in rule has a page in rules/, and the page's examples are true.

``sql bad`` blocks must produce the rule; ``sql good`` blocks must produce neither
the rule nor any error a compatibility rule reports (so "Use instead" really runs
on DSQL), nor a crash.
"""

from __future__ import annotations

import re

import pytest

from dsql_lint.rules.api import Rule
from dsql_lint.rules.docs import docs_dir, examples, page_path
from dsql_lint.rules.registry import all_rules
from tests.conftest import ROOT, lint

BUILTIN = [r for r in all_rules() if r.__module__.startswith("dsql_lint.")]
REQUIRED_HEADINGS = ("## What it does", "## Example", "## Use instead", "## Fix", "## Since", "## See also")
WHY_HEADINGS = ("## Why DSQL rejects it", "## Why it is a house rule")


def _page(rule: type[Rule]) -> str:
    path = page_path(rule)
    assert path is not None, f"{rule.code} has no page rules/{rule.code}-{rule.name}.md"
    return path.read_text(encoding="utf-8")


def test_docs_dir_is_the_repository_rules_folder() -> None:
    assert docs_dir() is not None


def test_every_page_belongs_to_a_registered_rule() -> None:
    names = {f"{r.code}-{r.name}.md" for r in BUILTIN}
    for page in (ROOT / "rules").glob("DSQL*.md"):
        assert page.name in names, f"rules/{page.name} documents no registered rule"


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.code)
def test_rule_page_has_the_template_headings(rule: type[Rule]) -> None:
    text = _page(rule)
    assert text.startswith(f"# {rule.code} {rule.name}\n"), "the title must be '# CODE name'"
    for heading in REQUIRED_HEADINGS:
        assert heading in text, f"{rule.code} page lacks {heading!r}"
    assert any(h in text for h in WHY_HEADINGS), f"{rule.code} page lacks a 'Why' section"


def _bad_and_good(rule: type[Rule]) -> tuple[list[str], list[str]]:
    blocks = examples(_page(rule))
    return [b.sql for b in blocks if b.label == "bad"], [b.sql for b in blocks if b.label == "good"]


EXAMPLE_CASES = [
    (rule, label, i, sql)
    for rule in BUILTIN
    for label, blocks in zip(("bad", "good"), _bad_and_good(rule) if page_path(rule) else ([], []), strict=False)
    for i, sql in enumerate(blocks)
]


def test_rules_that_can_fire_statically_have_bad_and_good_examples() -> None:
    for rule in BUILTIN:
        if rule.code in ("DSQL000",) or page_path(rule) is None:
            continue
        text = _page(rule)
        if "only fires with --live" in text or "only with --live" in text:
            continue
        bad, good = _bad_and_good(rule)
        assert bad, f"{rule.code} page has no ```sql bad``` example"
        assert good, f"{rule.code} page has no ```sql good``` example"


@pytest.mark.parametrize(
    ("rule", "label", "index", "sql"), EXAMPLE_CASES, ids=[f"{c[0].code}-{c[1]}{c[2]}" for c in EXAMPLE_CASES]
)
def test_rule_page_example(rule: type[Rule], label: str, index: int, sql: str) -> None:
    found = lint(sql, path=f"rules/{rule.code}-{label}{index}.sql", preset="all")
    assert not [d for d in found if d.code == "DSQL000"], [d.message for d in found]
    if label == "bad":
        assert any(d.code == rule.code for d in found), f"bad example of {rule.code} not flagged: {sql}"
    else:
        own = [d for d in found if d.code == rule.code]
        assert not own, f"good example of {rule.code} flagged: {[d.message for d in own]}"
        compat_errors = [d for d in found if d.severity.value == "error" and re.fullmatch(r"DSQL[0-8]\d\d", d.code)]
        rejected = [(d.code, d.message) for d in compat_errors]
        assert not compat_errors, f"good example of {rule.code} is rejected: {rejected}"


def test_rules_index_page_is_up_to_date() -> None:
    from dsql_lint.rules.docs import rules_index

    expected = rules_index(BUILTIN)
    actual = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    assert actual == expected, "rules/README.md is stale: regenerate it with `dsql-lint rules --format markdown`"
