"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

The format is ``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message``; in
property values ``%``, CR, LF, ``:`` and ``,`` are percent-encoded, in the message ``%``,
CR and LF.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from dsql_lint.model import Diagnostic, Severity
from dsql_lint.report import write_all
from dsql_lint.report.gitlab import report_path
from dsql_lint.run.lint import Run


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(d: Diagnostic, path: str | None = None) -> str:
    """The workflow command for one finding (``path``: its report path, if already worked out)."""
    level = "error" if d.severity is Severity.ERROR else "warning"
    props = {
        "file": report_path(d.path) if path is None else path,
        "line": str(d.line),
        "col": str(d.column),
        "endLine": str(d.end_line),
        "endColumn": str(d.end_column),
        "title": f"{d.code} {d.name}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in props.items())
    message = f"{d.code} {d.message}"
    if d.help:
        message += f"\nhelp: {d.help}"
    message += f"\ndocs: {d.url}"
    return f"::{level} {joined}::{escape_data(message)}"


def write_github(result: Run, out: TextIO, color: bool) -> None:
    """One workflow command per finding, one per unreadable file."""
    paths: dict[str, str] = {}

    def lines() -> Iterator[str]:
        for d in result.findings():
            path = paths.get(d.path)
            if path is None:
                path = paths[d.path] = report_path(d.path)
            yield command(d, path) + "\n"

    write_all(out, lines())
    for failed in result.file_errors:
        props = f"file={escape_property(failed.path)},title={escape_property('dsql-lint: file not linted')}"
        out.write(f"::error {props}::{escape_data(failed.path + ': ' + (failed.error or 'cannot be read'))}\n")
