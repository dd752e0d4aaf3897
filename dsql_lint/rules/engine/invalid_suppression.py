"""DSQL004 invalid-suppression: A suppression comment that names an unknown rule or is malformed"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, FixSafety, Script, Severity
from dsql_lint.rules.api import Context, ScriptRule


class InvalidSuppression(ScriptRule):
    """Report suppression comments that cannot work: unknown codes and malformed directives.

    The suppress step (dsql_lint.lint.suppress) reports this code after the other rules ran;
    the check itself finds nothing, the class exists so the code is documented, listed
    and selectable like any other.
    """

    code: ClassVar[str] = "DSQL004"
    name: ClassVar[str] = "invalid-suppression"
    severity: ClassVar[Severity] = Severity.WARNING
    summary: ClassVar[str] = "A suppression comment that names an unknown rule or is malformed"
    help: ClassVar[str] = (
        "use a rule code or prefix that `dsql-lint rules` lists, in `-- noqa: CODE` or `-- dsql-lint: ignore[CODE]`"
    )
    fix_safety: ClassVar[FixSafety | None] = None
    default_enabled: ClassVar[bool] = True

    def check(self, script: Script, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())
