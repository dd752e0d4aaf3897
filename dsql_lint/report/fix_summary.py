"""The fix lines of the text summary: what ``--fix`` did, and what ``--fix``/``--unsafe-fixes`` would do."""

from __future__ import annotations

from dsql_lint.model import FixSafety
from dsql_lint.run.lint import Run, RunResult


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 'es' if word.endswith('x') else 's'}"


def fix_lines(result: Run) -> list[str]:
    """Lines after the summary: fixed and remaining counts, rolled-back fixes, and the ruff-style hints.

    - with ``--fix``: ``Fixed 3 findings, 2 remaining.``
    - a fix rolled back because its result would not parse is named with its position;
    - ``[*] 2 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).``
    """
    unsafe = result.unsafe_fixes
    tally = result.tally()
    lines = []
    if result.fixing:
        assert isinstance(result, RunResult)  # a fixed run holds its files
        fixed = len(result.fixed)
        lines.append(f"Fixed {fixed} finding{'' if fixed == 1 else 's'}, {tally.total} remaining.")
        for file in result.files:
            for d in file.not_fixed:
                lines.append(
                    f"Not fixed: {d.code} at {d.path}:{d.line}:{d.column}: the fix was rolled back "
                    "because the fixed statement would not parse."
                )
    # is_hidden and is_allowed, counted: fixes with edits by safety
    hidden = 0 if unsafe else tally.fixes[FixSafety.UNSAFE]
    hidden_text = f"{_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option" if hidden else ""
    if result.fixing:
        if hidden:
            lines.append(hidden_text[0].upper() + hidden_text[1:] + ".")
        return lines
    applicable = tally.fixes[FixSafety.SAFE] + (tally.fixes[FixSafety.UNSAFE] if unsafe else 0)
    if applicable:
        line = f"[*] {applicable} fixable with the `--fix` option"
        lines.append(line + (f" ({hidden_text})." if hidden else "."))
    elif hidden:
        lines.append(f"No fixes available ({hidden_text}).")
    return lines
