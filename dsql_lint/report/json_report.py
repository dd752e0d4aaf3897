"""The JSON output format (``--format json``), documented in README.md."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from dsql_lint.model import Severity
from dsql_lint.run import RunResult

SCHEMA_VERSION = 1


def summary(result: RunResult) -> dict[str, Any]:
    """Counts of the run: files, findings by severity and by code, fixable findings."""
    diagnostics = result.diagnostics
    return {
        "files": len(result.files),
        "files_with_findings": sum(1 for f in result.files if f.diagnostics),
        "total": len(diagnostics),
        "errors": result.count(Severity.ERROR),
        "warnings": result.count(Severity.WARNING),
        "fixable": sum(1 for d in diagnostics if d.fix is not None),
        "by_code": dict(sorted(Counter(d.code for d in diagnostics).items())),
        "unreadable_files": len(result.file_errors),
    }


def document(result: RunResult) -> dict[str, Any]:
    """The whole JSON document for a run."""
    return {
        "version": SCHEMA_VERSION,
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "file_errors": [{"path": f.path, "message": f.error} for f in result.file_errors],
        "summary": summary(result),
    }


def write_json(result: RunResult, out: TextIO, color: bool) -> None:
    """Write the JSON document (one object, pretty-printed, newline-terminated)."""
    json.dump(document(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
