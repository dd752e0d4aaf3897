"""The 3xx-8xx catalog rules never crash, whatever is cut off the end of a statement.

Every case of the catalog's corpus files is linted again at each token boundary (a truncated
statement is what an editor sees while the user types); no rule may raise (DSQL000).
"""

from __future__ import annotations

import pytest

from dsql_lint.text.lexer import TokenKind, tokenize
from tests.conftest import ROOT, lint
from tests.test_accuracy_corpus import load_cases

FILES = {"indexes.sql", "alter_table.sql", "transactions.sql", "commands.sql", "access.sql", "limits.sql"}
CASES = [c for c in load_cases() if c.file in FILES]


def _prefixes(sql: str) -> list[str]:
    cuts = sorted({t.end for t in tokenize(sql) if t.kind not in (TokenKind.COMMENT, TokenKind.BLOCK_COMMENT)})
    return [sql[:cut] for cut in cuts]


def test_the_catalog_corpus_files_exist() -> None:
    assert {c.file for c in CASES} == FILES
    assert (ROOT / "tests" / "corpus" / "alter_table.sql").is_file()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.line}" for c in CASES])
def test_truncated_statements_do_not_crash_any_rule(case: object) -> None:
    for prefix in _prefixes(case.sql):  # type: ignore[attr-defined]
        crashed = [d.message for d in lint(prefix, preset="all") if d.code == "DSQL000"]
        assert not crashed, f"{prefix!r}: {crashed}"
