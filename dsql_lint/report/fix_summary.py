"""The fix lines of the text summary: what ``--fix`` did, and what ``--fix``/``--unsafe-fixes`` would do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dsql_lint.model import FixSafety
from dsql_lint.run import RunResult

if TYPE_CHECKING:
    from dsql_lint.model import Fix


# dsql_lint.fix.is_allowed and is_hidden, restated: every text report prints these lines, and
# dsql_lint.fix (its dataclasses, pathlib) is otherwise only needed when fixing.
# tests/test_text_report_plain.py checks that the two pairs agree.


def is_allowed(fix: Fix | None, unsafe: bool) -> bool:
    """True if ``fix`` may be applied: safe fixes always, unsafe ones only when ``unsafe``."""
    if fix is None or not fix.edits:
        return False
    return fix.safety is FixSafety.SAFE or unsafe


def is_hidden(fix: Fix | None, unsafe: bool) -> bool:
    """True for an unsafe fix that is not applied because ``--unsafe-fixes`` is off."""
    return fix is not None and bool(fix.edits) and fix.safety is FixSafety.UNSAFE and not unsafe


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 'es' if word.endswith('x') else 's'}"


def fix_lines(result: RunResult) -> list[str]:
    """Lines after the summary: fixed and remaining counts, rolled-back fixes, and the ruff-style hints.

    - with ``--fix``: ``Fixed 3 findings, 2 remaining.``
    - a fix rolled back because its result would not parse is named with its position;
    - ``[*] 2 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).``
    """
    unsafe = result.unsafe_fixes
    remaining = result.diagnostics
    lines = []
    if result.fixing:
        fixed = len(result.fixed)
        lines.append(f"Fixed {fixed} finding{'' if fixed == 1 else 's'}, {len(remaining)} remaining.")
        for file in result.files:
            for d in file.not_fixed:
                lines.append(
                    f"Not fixed: {d.code} at {d.path}:{d.line}:{d.column}: the fix was rolled back "
                    "because the fixed statement would not parse."
                )
    fixes = [d.fix for d in remaining if d.fix is not None]  # neither hidden nor allowed without a fix
    hidden = sum(1 for fix in fixes if is_hidden(fix, unsafe))
    hidden_text = f"{_plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option" if hidden else ""
    if result.fixing:
        if hidden:
            lines.append(hidden_text[0].upper() + hidden_text[1:] + ".")
        return lines
    applicable = sum(1 for fix in fixes if is_allowed(fix, unsafe))
    if applicable:
        line = f"[*] {applicable} fixable with the `--fix` option"
        lines.append(line + (f" ({hidden_text})." if hidden else "."))
    elif hidden:
        lines.append(f"No fixes available ({hidden_text}).")
    return lines
