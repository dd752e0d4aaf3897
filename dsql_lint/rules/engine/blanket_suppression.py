"""DSQL005 blanket-suppression: A noqa comment without codes suppresses every rule on its line"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, FixSafety, Script, Severity
from dsql_lint.rules.api import Context, ScriptRule


class BlanketSuppression(ScriptRule):
    """Report `-- noqa` comments that name no rule (off by default).

    The suppress step (dsql_lint.lint.suppress) reports this code after the other rules ran;
    the check itself finds nothing, the class exists so the code is documented, listed
    and selectable like any other.
    """

    code: ClassVar[str] = "DSQL005"
    name: ClassVar[str] = "blanket-suppression"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "A noqa comment without codes suppresses every rule on its line"
    help: ClassVar[str] = "name the rules: `-- noqa: DSQL301`"
    fix_safety: ClassVar[FixSafety | None] = None
    default_enabled: ClassVar[bool] = False

    def check(self, script: Script, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())
