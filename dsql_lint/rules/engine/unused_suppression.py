"""DSQL003 unused-suppression: A suppression comment that suppresses nothing"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, FixSafety, Script, Severity
from dsql_lint.rules.api import Context, ScriptRule


class UnusedSuppression(ScriptRule):
    """Report suppression codes that silence no finding, so that stale suppressions do not hide future problems.

    The suppress step (dsql_lint.lint.suppress) reports this code after the other rules ran;
    the check itself finds nothing, the class exists so the code is documented, listed
    and selectable like any other.
    """

    code: ClassVar[str] = "DSQL003"
    name: ClassVar[str] = "unused-suppression"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "A suppression comment that suppresses nothing"
    help: ClassVar[str] = (
        "remove the code from the comment (or the whole comment); the finding it was written for is gone"
    )
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE
    default_enabled: ClassVar[bool] = True

    def check(self, script: Script, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())
