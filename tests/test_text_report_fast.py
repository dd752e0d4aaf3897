"""The text report's one-pass plain rendering equals the per-finding format_diagnostic it replaces."""

from __future__ import annotations

import io
from pathlib import Path

from dsql_lint.config.settings import Settings
from dsql_lint.fix.apply import is_allowed, is_hidden
from dsql_lint.model import Severity
from dsql_lint.report.text import format_diagnostic, summary_line, write_text
from dsql_lint.report.tools import tool_lines
from dsql_lint.run.lint import RunResult, lint_files, make_linter

CORPUS = Path(__file__).resolve().parent / "corpus"


def _result() -> RunResult:
    return lint_files([str(CORPUS)], make_linter(Settings(preset="all")))


def test_plain_report_is_each_finding_then_the_summary() -> None:
    result = _result()
    assert len(result.diagnostics) > 500
    out = io.StringIO()
    write_text(result, out, False)
    tools = "".join(line + "\n" for line in tool_lines(result))
    assert tools.startswith(f"{CORPUS}: {len(result.files)} files linted as plain SQL run by psql")
    expected = "".join(format_diagnostic(d, False) + "\n\n" for d in result.diagnostics) + tools
    expected += summary_line(result) + "\n"
    assert out.getvalue() == expected


def test_summary_counts_as_before() -> None:
    result = _result()
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    line = summary_line(result).splitlines()[0]
    assert f"({errors} error{'s' if errors != 1 else ''}, {warnings} warning" in line
    fixable = sum(1 for d in result.diagnostics if is_allowed(d.fix, False))
    hidden = sum(1 for d in result.diagnostics if is_hidden(d.fix, False))
    rest = summary_line(result).splitlines()[1:]
    assert (f"[*] {fixable} fixable" in "".join(rest)) == bool(fixable)
    assert ("hidden fix" in "".join(rest)) == bool(hidden)
