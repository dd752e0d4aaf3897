"""SARIF 2.1.0: the format GitHub code scanning (and other security dashboards) read.

One run with the tool's rule metadata (id, name, short and full description, help text
and help URL, default level) and one result per finding, located by a relative URI and a
region whose columns count Unicode code points (``columnKind``). Fixes are included as
SARIF fixes. Files that could not be linted are tool execution notifications.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from dsql_lint.__about__ import __version__
from dsql_lint.model import Diagnostic, Fix, Severity
from dsql_lint.report.json_report import Stream, write_indented
from dsql_lint.report.tools import tool_groups
from dsql_lint.run.lint import Run, RunResult
from dsql_lint.text.disk import Spill

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/dsql-linter/dsql-linter"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def artifact_uri(path: str) -> str:
    """A relative URI (forward slashes, percent-encoded) for a path under the working directory."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_uri()
    return quote(candidate.as_posix(), errors="surrogateescape")  # a name that is not UTF-8: its own bytes, %-encoded


def artifact_location(path: str) -> dict[str, str]:
    """``{"uri": ..., "uriBaseId": "%SRCROOT%"}`` for a relative path, just the URI for another."""
    uri = artifact_uri(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}


def _rule_descriptor(d: Diagnostic) -> dict[str, Any]:
    from dsql_lint.rules.registry import find_rule

    rule = find_rule(d.code)
    summary = rule.summary if rule is not None else d.name
    full = (rule.__doc__ or summary).strip().split("\n\n")[0] if rule is not None else summary
    help_text = (rule.help if rule is not None else d.help) or summary
    return {
        "id": d.code,
        "name": d.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": " ".join(full.split())},
        "help": {"text": help_text, "markdown": f"{help_text}\n\n[{d.code} {d.name}]({d.url})"},
        "helpUri": d.url,
        "defaultConfiguration": {"level": LEVEL[d.severity]},
        "properties": {"tags": [rule.family() if rule is not None else "plugin"]},
    }


def _region(source: Any, start: int, end: int) -> dict[str, int]:
    line, column = source.position(start)
    end_line, end_column = source.position(end)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _fix(d: Diagnostic, fix: Fix, location: Callable[[str], dict[str, str]] = artifact_location) -> dict[str, Any]:
    return {
        "description": {"text": f"{fix.title} ({fix.safety.value} fix)"},
        "artifactChanges": [
            {
                "artifactLocation": location(d.path),
                "replacements": [
                    {"deletedRegion": _region(d.source, e.start, e.end), "insertedContent": {"text": e.text}}
                    for e in fix.edits
                ],
            }
        ],
    }


def _result(d: Diagnostic, index: int, location: Callable[[str], dict[str, str]] = artifact_location) -> dict[str, Any]:
    region = {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column}
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index,
        "level": LEVEL[d.severity],
        "message": {"text": f"{d.message}. Help: {d.help}" if d.help else d.message},
        "locations": [{"physicalLocation": {"artifactLocation": location(d.path), "region": region}}],
    }
    if d.fix is not None and d.source is not None:
        result["fixes"] = [_fix(d, d.fix, location)]
    return result


def document(result: Run, stream: bool = False) -> dict[str, Any]:
    """The SARIF log for a run (``stream``: its results as a :class:`~dsql_lint.report.json_report.Stream`)."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    known: dict[str, dict[str, str]] = {}

    def location(path: str) -> dict[str, str]:
        """:func:`artifact_location`, worked out once per path of the run (a copy each time)."""
        found = known.get(path)
        if found is None:
            found = known[path] = artifact_location(path)
        return dict(found)

    def rule_index(d: Diagnostic) -> int:
        at = index.get(d.code)
        if at is None:
            at = index[d.code] = len(rules)
            rules.append(_rule_descriptor(d))
        return at

    results: Any
    if isinstance(result, RunResult):
        for d in result.diagnostics:  # the rules come before the results in the log
            rule_index(d)
        made = (_result(d, index[d.code], location) for d in result.diagnostics)
        results = Stream(made) if stream else list(made)
    else:  # a streamed run, read once: the results wait on disk while the rules are gathered
        spill = Spill()
        for d in result.findings():
            spill.add(_result(d, rule_index(d), location))
        results = Stream(spill.replay()) if stream else list(spill.replay())
    notifications = [
        {"level": "error", "message": {"text": f"{f.path}: {f.error}"},
         "locations": [{"physicalLocation": {"artifactLocation": artifact_location(f.path)}}]}
        for f in result.file_errors
    ]  # fmt: skip
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "dsql-lint",
                        "semanticVersion": __version__,
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {"executionSuccessful": not result.file_errors, "toolExecutionNotifications": notifications}
                ],
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"migrationTools": tool_groups(result)},
            }
        ],
    }


def write_sarif(result: Run, out: TextIO, color: bool) -> None:
    """Write the SARIF log as pretty-printed JSON."""
    write_indented(out, document(result, stream=True))  # json.dump(indent=2), a batch of results at a time
