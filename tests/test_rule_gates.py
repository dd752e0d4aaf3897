"""Statement rules' ``tags``/``words`` gates: the engine skips a rule on statements its gates exclude.

The gates are part of the public rule API (:class:`dsql_lint.rules.api.StatementRule`). What must hold:
a plugin's gates are honoured; the engine's cached plan picks exactly the rules that
``rule.concerns(stmt)`` admits, in selection order; and every built-in gate is sound: run
without its gate, a rule finds nothing on a statement the gate excludes.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Iterator
from typing import ClassVar

import pytest

from dsql_lint import Context, Diagnostic, Severity, Statement, StatementRule
from dsql_lint.config.settings import Settings
from dsql_lint.lint.engine import Linter
from dsql_lint.model import Kind, Script
from dsql_lint.rules.api import validate_rule_class
from dsql_lint.rules.commands.text_search_function import TEXT_SEARCH_WORDS
from dsql_lint.rules.docs import examples, page_path
from dsql_lint.rules.registry import all_rules
from dsql_lint.text.source import Source, read_path
from tests.conftest import CORPUS, ROOT, lint


class _CountingRule(StatementRule):
    """A plugin-style rule that records every statement it is asked to check and flags each one."""

    code: ClassVar[str] = "ACME900"
    name: ClassVar[str] = "counting"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "counts the statements it sees"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        self.seen.append(stmt.text.strip())
        yield self.report(stmt, stmt.tokens[0], message="seen")


class _ViewsOnly(_CountingRule):
    code: ClassVar[str] = "ACME901"
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE VIEW"})


class _NeedsStar(_CountingRule):
    code: ClassVar[str] = "ACME902"
    words: ClassVar[frozenset[str] | None] = frozenset({"*", "DISTINCT"})


class _ViewsWithStar(_CountingRule):
    code: ClassVar[str] = "ACME903"
    tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE VIEW"})
    words: ClassVar[frozenset[str] | None] = frozenset({"*"})


SQL = """\
CREATE VIEW v1 AS SELECT * FROM t;
CREATE VIEW v2 AS SELECT a FROM t WHERE b = '*';
SELECT * FROM t;
SELECT DISTINCT "*" FROM t; -- * in a comment
INSERT INTO t VALUES (1);
"""


def _run(rule: _CountingRule) -> tuple[list[str], list[Diagnostic]]:
    linter = Linter(Settings(preset="all"), rules=[rule])
    _, found = linter.lint_source(Source("gates.sql", SQL))
    return rule.seen, found


def test_a_rule_with_tags_runs_only_on_statements_with_those_tags() -> None:
    seen, found = _run(_ViewsOnly())
    assert seen == ["CREATE VIEW v1 AS SELECT * FROM t;", "CREATE VIEW v2 AS SELECT a FROM t WHERE b = '*';"]
    assert [d.line for d in found] == [1, 2]


def test_a_rule_with_words_runs_only_where_one_of_them_is_a_token() -> None:
    seen, _ = _run(_NeedsStar())
    # '*' in a string, "*" as a quoted identifier and * in a comment are not tokens of the statement
    assert seen == [
        "CREATE VIEW v1 AS SELECT * FROM t;",
        "SELECT * FROM t;",
        'SELECT DISTINCT "*" FROM t;',
    ]


def test_tags_and_words_must_both_admit_the_statement() -> None:
    seen, _ = _run(_ViewsWithStar())
    assert seen == ["CREATE VIEW v1 AS SELECT * FROM t;"]


def test_a_rule_without_gates_runs_on_every_sql_statement() -> None:
    seen, _ = _run(_CountingRule())
    assert len(seen) == 5


def test_gates_are_validated_when_a_plugin_declares_them() -> None:
    class LowerCase(_CountingRule):
        tags: ClassVar[frozenset[str] | None] = frozenset({"create view"})

    class NotASet(_CountingRule):
        words = ["SELECT"]  # type: ignore[assignment]  # what a careless plugin might write

    assert validate_rule_class(_ViewsWithStar, "test") == []
    assert any("`tags`" in p for p in validate_rule_class(LowerCase, "test"))
    assert any("`words`" in p for p in validate_rule_class(NotASet, "test"))


# --------------------------------------------------------------------------- built-in gates


def _statements(sources: list[Source]) -> Iterator[Statement]:
    linter = Linter(Settings(preset="all"))
    for source in sources:
        script: Script = linter.build(source)[0]
        for stmt in script.statements:
            if stmt.kind not in (Kind.PSQL_META, Kind.COPY_DATA):
                yield stmt


def _page_sources() -> list[Source]:
    sources = []
    for rule in all_rules():
        path = page_path(rule)
        if path is None:
            continue
        for i, block in enumerate(examples(path.read_text(encoding="utf-8"))):
            sources.append(Source(f"rules/{rule.code}-{block.label}{i}.sql", block.sql))
    return sources


def _corpus_sources() -> list[Source]:
    return [read_path(p) for p in sorted((ROOT / "tests" / "corpus").rglob("*.sql"))]


GATED = [r for r in Linter(Settings(preset="all"))._statement_rules if r.tags is not None or r.words is not None]


def _assert_gates_sound(statements: Iterator[Statement]) -> int:
    """Run every gated built-in rule on the statements its gates exclude: it must find nothing."""
    ctx = Context()
    skipped = 0
    for stmt in statements:
        for rule in GATED:
            if rule.concerns(stmt):
                continue
            skipped += 1
            found = list(rule.check(stmt, ctx))
            assert not found, f"{rule.code}'s gates exclude a statement it reports on: {stmt.text!r}"
    return skipped


def test_most_built_in_statement_rules_declare_gates() -> None:
    assert len(GATED) >= 80


def test_built_in_gates_exclude_only_statements_the_rule_finds_nothing_in() -> None:
    assert _assert_gates_sound(_statements(_page_sources() + _corpus_sources())) > 10_000


@pytest.mark.corpus
def test_built_in_gates_are_sound_on_the_postgresql_regression_suite() -> None:
    folder = CORPUS / "pg-regress"
    if not folder.is_dir():
        pytest.skip(f"PostgreSQL regression corpus not found at {folder}")
    assert _assert_gates_sound(_statements([read_path(p) for p in sorted(folder.glob("*.sql"))])) > 100_000


def test_the_engine_plan_runs_exactly_the_rules_whose_gates_admit_the_statement() -> None:
    linter = Linter(Settings(preset="all"))
    plan = linter._statement_plan
    count = 0
    for stmt in _statements(_page_sources() + _corpus_sources()):
        expected = [r for r in linter._statement_rules if r.concerns(stmt)]
        assert [r for r, _ in plan.rules_for(stmt)] == expected, stmt.text
        count += 1
    assert count > 1000


def test_the_engine_plan_follows_a_statement_whose_tag_changes() -> None:
    linter = Linter(Settings(preset="all"))
    stmt = next(_statements([Source("t.sql", "CREATE INDEX i ON t (a DESC);")]))
    assert "DSQL302" in [r.code for r, _ in linter._statement_plan.rules_for(stmt)]
    stmt.tag = "SELECT"
    assert "DSQL302" not in [r.code for r, _ in linter._statement_plan.rules_for(stmt)]


def test_kelvin_sign_is_the_only_non_ascii_character_that_lowers_to_an_identifier_character() -> None:
    # DSQL614 matches `tok.text.lower()`; its words gate lists the upper-case spellings, which is
    # complete only if no other character lowers into [a-z0-9_].
    ascii_ident = set(string.ascii_lowercase + string.digits + "_")
    odd = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if chr(cp) not in string.ascii_letters + string.digits + "_"
        and chr(cp).lower()
        and set(chr(cp).lower()) <= ascii_ident
    ]
    assert odd == ["0x212a"]
    assert "TS_RAN\u212a" in TEXT_SEARCH_WORDS and "TS_RANK" in TEXT_SEARCH_WORDS


def test_a_kelvin_sign_spelling_is_not_the_text_search_function_for_postgresql() -> None:
    """PostgreSQL folds only ASCII letters to lower case, so ``ts_ran\u212a`` (KELVIN SIGN) is not
    ``ts_rank``: DSQL614 reads the function name from PostgreSQL's parse tree and stays silent,
    where it used to fold the name with Python's ``lower()`` (which maps the sign to ``k``)."""
    assert "DSQL614" not in [d.code for d in lint("SELECT ts_ran\u212a(v, q) FROM t;")]
    assert "DSQL614" in [d.code for d in lint('SELECT "ts_rank"(v, q) FROM t;')]


def test_soundness_check_has_teeth() -> None:
    """A gate that excludes statements the rule does report on is caught."""

    class Wrong(StatementRule):
        code: ClassVar[str] = "ACME904"
        name: ClassVar[str] = "wrong"
        severity: ClassVar[Severity] = Severity.WARNING
        summary: ClassVar[str] = "flags indexes but claims tables"
        tags: ClassVar[frozenset[str] | None] = frozenset({"CREATE TABLE"})

        def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
            if stmt.tag == "CREATE INDEX":
                yield self.report(stmt, stmt.tokens[0], message="index")

    GATED.append(Wrong())
    try:
        with pytest.raises(AssertionError, match="ACME904"):
            _assert_gates_sound(_statements([Source("t.sql", "CREATE INDEX i ON t (a);")]))
    finally:
        GATED.pop()
