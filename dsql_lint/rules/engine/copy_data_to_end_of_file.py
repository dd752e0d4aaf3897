"""DSQL002 copy-data-to-end-of-file: a COPY ... FROM STDIN data block with no ``\\.`` terminator."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Kind, Script, Severity
from dsql_lint.rules.api import Context, ScriptRule

_SQL_LINE = re.compile(
    r"^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|SELECT|BEGIN|COMMIT|GRANT|COPY)\b", re.IGNORECASE | re.MULTILINE
)


class CopyDataToEndOfFile(ScriptRule):
    """Warns when the data after ``COPY ... FROM STDIN;`` is never ended by a ``\\.`` line.

    psql then reads every remaining line of the file as data, so none of the SQL
    after it runs, and dsql-lint cannot lint it either.
    """

    code: ClassVar[str] = "DSQL002"
    name: ClassVar[str] = "copy-data-to-end-of-file"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "COPY ... FROM STDIN data runs to the end of the file (no \\. line)"
    help: ClassVar[str] = "end the data with a line holding only `\\.`; everything after the COPY is otherwise data"

    def check(self, script: Script, ctx: Context) -> Iterator[Diagnostic]:
        statements = script.statements
        copy_data = Kind.COPY_DATA  # a local: ``Kind.COPY_DATA`` costs a metaclass attribute lookup per read
        for i, stmt in enumerate(statements):
            if stmt.kind is not copy_data or stmt.tokens[0].text.rstrip().endswith("\\."):
                continue
            copy = next((s for s in reversed(statements[:i]) if s.kind is not copy_data), None)
            data = stmt.tokens[0].text
            lines = data.count("\n") + (0 if data.endswith("\n") else 1)
            looks_like_sql = len(_SQL_LINE.findall(data))
            anchor = copy.tokens[0] if copy is not None and copy.tokens else stmt.tokens[0]
            source = copy if copy is not None else stmt
            detail = f", {looks_like_sql} of which look like SQL statements" if looks_like_sql else ""
            yield self.report(
                source,
                anchor,
                message=f"the data of this COPY ... FROM STDIN has no `\\.` terminator, so the remaining "
                f"{lines} line{'s' if lines != 1 else ''} of the file are read as data{detail}",
            )
