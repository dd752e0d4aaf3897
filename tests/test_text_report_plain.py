"""The text report without colour is exactly the coloured report with its styles removed."""

from __future__ import annotations

from dataclasses import replace

import click
import pytest

from dsql_lint.model import Diagnostic, Severity
from dsql_lint.report.text import format_diagnostic
from dsql_lint.text.source import Source

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
    """The hint lines count fixes by safety (:class:`dsql_lint.run.lint.Tally`): the same numbers as
    ``dsql_lint.fix.apply.is_allowed`` / ``is_hidden`` give, finding by finding."""
    from dsql_lint.fix import apply as fix
    from dsql_lint.model import Edit, Fix, FixSafety
    from dsql_lint.report.fix_summary import fix_lines
    from dsql_lint.run.lint import FileResult, RunResult

    fixes = [None] + [
        Fix(edits, safety, "t") for edits in ((), (Edit(0, 1, "x"),)) for safety in (FixSafety.SAFE, FixSafety.UNSAFE)
    ]
    found = [replace(_diag(1, 1, 1, 2), fix=f) for f in fixes * 3]
    for unsafe in (False, True):
        run = RunResult([FileResult("m.sql", found)], unsafe_fixes=unsafe)
        allowed = sum(1 for d in found if fix.is_allowed(d.fix, unsafe))
        hidden = sum(1 for d in found if fix.is_hidden(d.fix, unsafe))
        said = " ".join(fix_lines(run))
        assert (f"[*] {allowed} fixable" in said) == bool(allowed)
        assert (f"{hidden} hidden fix" in said) == bool(hidden)
