"""The text report without colour is exactly the coloured report with its styles removed."""

from __future__ import annotations

import click
import pytest

from dsql_lint.model import Diagnostic, Severity
from dsql_lint.report.text import format_diagnostic
from dsql_lint.source import Source

SOURCE = Source("m.sql", "CREATE TABLE t (\n\tid serial,\n  name text\n);\n")


def _diag(line: int, column: int, end_line: int, end_column: int, *, help: str = "Do this.", source=SOURCE):
    return Diagnostic(
        "m.sql", line, column, end_line, end_column, "DSQL123", "x", Severity.WARNING,
        "Column id is wrong.", help, "https://example.test/DSQL123", source=source,
    )  # fmt: skip


@pytest.mark.parametrize(
    "d",
    [
        _diag(2, 2, 2, 4),  # a tab before the token
        _diag(1, 1, 4, 2),  # a span over several lines
        _diag(3, 3, 3, 3),  # an empty span still gets one caret
        _diag(9, 1, 12, 1),  # past the end of the text: no excerpt
        _diag(2, 2, 2, 4, help=""),  # no help line
        _diag(2, 2, 2, 4, source=None),  # no source: no excerpt
    ],
)
def test_plain_text_is_the_coloured_text_unstyled(d: Diagnostic) -> None:
    plain = format_diagnostic(d, color=False)
    coloured = format_diagnostic(d, color=True)
    assert coloured != plain
    assert click.unstyle(coloured) == plain


def test_plain_excerpt_lines() -> None:
    assert format_diagnostic(_diag(2, 2, 2, 4), color=False).splitlines() == [
        "m.sql:2:2: DSQL123 [warning] Column id is wrong.",
        "    |",
        "  2 |  id serial,",
        "    |  ^^ DSQL123",
        "    |",
        "  = help: Do this.",
        "  = docs: https://example.test/DSQL123",
    ]


def test_the_summary_tells_fixes_apart_as_dsql_lint_fix_does() -> None:
    from dsql_lint import fix
    from dsql_lint.model import Edit, Fix, FixSafety
    from dsql_lint.report import fix_summary

    fixes = [None] + [
        Fix(edits, safety, "t") for edits in ((), (Edit(0, 1, "x"),)) for safety in (FixSafety.SAFE, FixSafety.UNSAFE)
    ]
    for candidate in fixes:
        for unsafe in (False, True):
            assert fix_summary.is_allowed(candidate, unsafe) is fix.is_allowed(candidate, unsafe)
            assert fix_summary.is_hidden(candidate, unsafe) is fix.is_hidden(candidate, unsafe)
