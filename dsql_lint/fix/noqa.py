"""``--add-noqa``: write a suppression comment for every current finding.

A team adopting dsql-lint on an old migration folder runs this once; afterwards only new
findings fail. Each finding gets ``-- noqa: CODE`` at the end of the line where it starts
(merged into a ``noqa`` comment already there). When that line ends inside a string,
dollar-quoted body or block comment that continues on the next line, a comment there would
change the SQL, so ``-- dsql-lint: ignore[CODE]`` goes on its own line before the
statement instead. Running it again adds nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from dsql_lint.lint.suppress import META_CODES
from dsql_lint.lint.suppress_comments import DIRECTIVE, NOQA, NOQA_CODES
from dsql_lint.model import Diagnostic, Edit, Script, Statement
from dsql_lint.records import Record
from dsql_lint.text.lexer import Token, TokenKind

if TYPE_CHECKING:
    from dsql_lint.run.lint import RunResult

_DIRECTIVE_IGNORE = re.compile(r"ignore\s*\[(?P<codes>[^\]\n]*)\]", re.IGNORECASE)


@dataclass(init=False, repr=False, eq=False)  # no generated code (dsql_lint.records)
class NoqaPlan(Record):
    """The edits that silence a file's findings, and how many comments they add or extend."""

    edits: list[Edit]
    count: int

    def __init__(self, edits: list[Edit], count: int) -> None:
        self.edits = edits
        self.count = count


def _unique(codes: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for code in codes:
        if code not in seen:
            seen.append(code)
    return seen


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end == -1 else end
    if end > start and text[end - 1] == "\r":
        end -= 1
    return start, end


def _spanning(tokens: Sequence[Token], offset: int, starts: list[int] | None = None) -> Token | None:
    """The token that continues across ``offset`` (a line end), if any.

    Tokens do not overlap, so only the last one starting before ``offset`` can span it: found by
    bisection over ``starts`` (the tokens' starts) when given. A pass over every token for each
    finding made ``--add-noqa`` quadratic: 3,000 findings took 20 s.
    """
    if starts is None:
        starts = [t.start for t in tokens]
    k = bisect.bisect_left(starts, offset) - 1
    if k >= 0:
        tok = tokens[k]
        if tok.start < offset < tok.end and tok.kind is not TokenKind.COMMENT:
            return tok
    return None


def _statement_of(script: Script, offset: int, starts: list[int] | None = None) -> Statement | None:
    statements = script.statements
    if starts is None:
        starts = [s.start for s in statements]
    k = bisect.bisect_right(starts, offset) - 1
    if k >= 0:
        stmt = statements[k]
        if stmt.start <= offset < max(stmt.end, stmt.start + 1):
            return stmt
    return None


def _noqa_edit(
    text: str,
    tokens: Sequence[Token],
    line_start: int,
    line_end: int,
    codes: list[str],
    starts: list[int] | None = None,
) -> Edit:
    """Extend the line's noqa comment with ``codes``, or append one."""
    if starts is None:
        starts = [t.start for t in tokens]
    first = bisect.bisect_left(starts, line_start)
    last = bisect.bisect_left(starts, line_end)
    comment = next((t for t in tokens[first:last] if t.kind is TokenKind.COMMENT), None)
    if comment is not None:
        match = NOQA.search(comment.text)
        if match is not None and match.group("colon"):
            listed = NOQA_CODES.match(comment.text, match.end())
            if listed is not None:
                return Edit(comment.start + listed.end(), comment.start + listed.end(), ", " + ", ".join(codes))
    end = line_end
    while end > line_start and text[end - 1] in " \t":
        end -= 1
    return Edit(end, end, f"  -- noqa: {', '.join(codes)}")


def _directive_edit(text: str, stmt: Statement, codes: list[str]) -> Edit:
    """Extend the ``dsql-lint: ignore[...]`` line just before ``stmt``, or insert one."""
    for comment in reversed(stmt.leading_comments):
        match = DIRECTIVE.match(comment.text)
        body = _DIRECTIVE_IGNORE.match(comment.text, match.end()) if match else None
        if body is not None:
            end = comment.start + body.end("codes")
            return Edit(end, end, ", " + ", ".join(codes))
    newline = "\r\n" if "\r\n" in text else "\n"
    line_start, _ = _line_bounds(text, stmt.start)
    before = text[line_start : stmt.start]
    directive = f"-- dsql-lint: ignore[{', '.join(codes)}]"
    if before.strip():
        return Edit(stmt.start, stmt.start, f"{newline}{directive}{newline}")
    return Edit(line_start, line_start, f"{before}{directive}{newline}")


def plan_noqa(script: Script, diagnostics: Iterable[Diagnostic]) -> NoqaPlan:
    """The edits that add suppressions for ``diagnostics`` (findings about suppressions are skipped)."""
    text = script.source.text
    tokens = script.tokens
    by_line: dict[tuple[int, int], list[str]] = {}
    by_statement: dict[int, list[str]] = {}
    statements: dict[int, Statement] = {}
    token_starts = [t.start for t in tokens]
    statement_starts = [s.start for s in script.statements]
    for d in diagnostics:
        if d.code in META_CODES:
            continue
        bounds = _line_bounds(text, d.start)
        stmt = _statement_of(script, d.start, statement_starts)
        if _spanning(tokens, bounds[1], token_starts) is not None and stmt is not None:
            by_statement.setdefault(stmt.start, []).append(d.code)
            statements[stmt.start] = stmt
        else:
            by_line.setdefault(bounds, []).append(d.code)
    edits = [
        _noqa_edit(text, tokens, start, end, _unique(codes), token_starts) for (start, end), codes in by_line.items()
    ]
    edits += [_directive_edit(text, statements[key], _unique(codes)) for key, codes in by_statement.items()]
    return NoqaPlan(edits, len(edits))


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (joined in one pass, not one copy of the text per edit)."""
    parts = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        parts.append(text[pos : edit.start])
        parts.append(edit.text)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def add_noqa_to_run(result: RunResult) -> tuple[int, int, list[tuple[str, str]]]:
    """Write suppressions for every finding of a run into its files.

    Returns the comments added, the files changed, and (path, message) for each file that
    could not be rewritten (read-only, changed meanwhile, ...): it keeps its old text, since
    each file is replaced atomically or not at all.
    """
    from dsql_lint.fix.apply import encode_like, write_atomically
    from dsql_lint.frontend.script import build_script

    added = changed = 0
    failed: list[tuple[str, str]] = []
    for file in result.files:
        if file.source is None or not file.diagnostics or file.path == "-":
            continue
        plan = plan_noqa(build_script(file.source), file.diagnostics)
        if not plan.edits:
            continue
        text = apply_edits(file.source.text, plan.edits)
        path = Path(file.path)
        try:
            write_atomically(path, encode_like(path, text), file.source.text)
        except OSError as exc:
            message = f"cannot be written ({exc.strerror or exc}); it was left unchanged"
            failed.append((file.path, message))
            file.error = message
            continue
        added += plan.count
        changed += 1
    return added, changed, failed
