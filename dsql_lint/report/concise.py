"""The concise output format: one line per finding, for editors and grep."""

from __future__ import annotations

from typing import TextIO

from dsql_lint.report import write_all
from dsql_lint.report.text import summary_line
from dsql_lint.run.lint import Run
from dsql_lint.text.source import printable


def write_concise(result: Run, out: TextIO, color: bool) -> None:
    """``path:line:col: CODE [severity] message`` per finding, then the summary line."""
    write_all(
        out,
        (
            f"{printable(d.path)}:{d.line}:{d.column}: {d.code} [{d.severity._value_}] {d.message}\n"
            for d in result.findings()
        ),
    )
    from dsql_lint.report.tools import tool_lines

    out.write("".join(line + "\n" for line in tool_lines(result)))
    out.write(summary_line(result) + "\n")
