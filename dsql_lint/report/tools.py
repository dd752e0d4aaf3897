"""Which migration tool each folder was linted as: lines for the text summary, entries for JSON and SARIF.

A user must be able to see what dsql-lint assumed about how their files run, since that
decides the transaction verdicts: "12 files linted as Prisma Migrate migrations".
"""

from __future__ import annotations

from typing import Any

from dsql_lint.migrations.files import TOOL_NAMES
from dsql_lint.run.lint import Run
from dsql_lint.text.source import printable

#: At most this many folders are named in the text summary; the rest are counted.
MAX_TEXT_FOLDERS = 8


def tool_groups(result: Run) -> list[dict[str, Any]]:
    """One entry per history folder and tool, in the run's order: folder, tool, name, files, note."""
    return [
        {
            "folder": printable(group or "."),
            "tool": tool,
            "name": TOOL_NAMES.get(tool, tool),
            "files": count,
            "note": result.notes.get(group),
        }
        for (group, tool), count in result.tally().tools.items()
    ]


def tool_lines(result: Run) -> list[str]:
    """``prisma/migrations: 3 files linted as Prisma Migrate migrations.`` per folder, notes included."""
    lines = []
    groups = tool_groups(result)
    for entry in groups[:MAX_TEXT_FOLDERS]:
        count = entry["files"]
        files = f"{count} file{'s' if count != 1 else ''}"
        if entry["tool"] == "plain" and entry["note"]:
            said = f"{entry['note']}."  # the plain-SQL notice says how the files were linted itself
        else:
            what = "plain SQL" if entry["tool"] == "plain" else f"{entry['name']} migrations"
            said = f"linted as {what}." + (f" Note: {entry['note']}." if entry["note"] else "")
        lines.append(f"{entry['folder']}: {files} {said}")
    if len(groups) > MAX_TEXT_FOLDERS:
        rest = len(groups) - MAX_TEXT_FOLDERS
        lines.append(f"... and {rest} more folder{'s' if rest != 1 else ''} (--format json lists them all).")
    return lines
