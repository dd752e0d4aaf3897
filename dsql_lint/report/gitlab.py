"""GitLab Code Quality report: a JSON array of issues for the merge request widget.

Each issue has ``description``, ``check_name``, ``fingerprint``, ``severity`` and
``location.path`` + ``location.lines.begin``. The fingerprint hashes the path, the rule,
the offending text and the text of its line (whitespace collapsed), never the line number,
so it stays the same when lines are added elsewhere; repeated identical findings get an
occurrence number so that fingerprints stay unique.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from dsql_lint.model import Diagnostic, Severity
from dsql_lint.run.lint import Run
from dsql_lint.text.source import printable

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor"}


def report_path(path: str) -> str:
    """The path GitLab expects: relative to the working directory, with forward slashes."""
    candidate = Path(path)
    if candidate.is_absolute():
        with contextlib.suppress(ValueError):
            candidate = candidate.relative_to(Path.cwd())
    return printable(candidate.as_posix())


def _context(d: Diagnostic) -> tuple[str, str]:
    if d.source is None:
        return d.message, ""
    line = " ".join(d.source.line_text(d.line).split()) if d.line <= d.source.line_count else ""
    return line, d.source.text[d.start : d.end]


def fingerprint(d: Diagnostic, occurrence: int = 0, path: str | None = None) -> str:
    """A stable identity for a finding that ignores its line number (``path``: its report path, if known)."""
    line, token = _context(d)
    key = "\0".join((report_path(d.path) if path is None else path, d.code, line, token, str(occurrence)))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()  # a path may not be UTF-8


def issues(result: Run) -> list[dict[str, Any]]:
    """The Code Quality issues of a run."""
    return list(_issues(result))


def _issues(result: Run) -> Iterator[dict[str, Any]]:
    seen: Counter[str] = Counter()
    paths: dict[str, str] = {}
    last = None
    for d in result.findings():
        path = paths.get(d.path)
        if path is None:
            path = paths[d.path] = report_path(d.path)
        if d.path != last:  # a fingerprint names its file: occurrences are counted file by file
            seen.clear()  # (a run's findings come file after file: not one count per finding of the run)
            last = d.path
        base = fingerprint(d, 0, path)
        occurrence = seen[base]
        seen[base] += 1
        yield {
            "type": "issue",
            "description": f"{d.code} {d.message}",
            "check_name": f"{d.code} {d.name}",
            "content": {"body": f"{d.help}\n\n{d.url}" if d.help else d.url},
            "categories": ["Compatibility"] if d.severity is Severity.ERROR else ["Style"],
            "fingerprint": base if occurrence == 0 else fingerprint(d, occurrence, path),
            "severity": SEVERITY[d.severity],
            "location": {
                "path": path,
                "lines": {"begin": d.line, "end": d.end_line},
            },
        }


def write_gitlab(result: Run, out: TextIO, color: bool) -> None:
    """Write the Code Quality JSON array."""
    from dsql_lint.report.json_report import Stream, write_indented  # json.dump(indent=2), in batches

    write_indented(out, Stream(_issues(result)))
