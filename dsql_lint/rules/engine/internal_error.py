"""DSQL000 internal-error: a rule crashed; reported instead of a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from dsql_lint.model import Diagnostic, Severity, Statement
from dsql_lint.rules.api import Context, StatementRule


class InternalError(StatementRule):
    """Stands for crashes of rules: the engine reports them under this code.

    The check itself never finds anything; the class exists so that the code is
    documented, listed by ``dsql-lint rules`` and selectable like any other.
    """

    code: ClassVar[str] = "DSQL000"
    name: ClassVar[str] = "internal-error"
    severity: ClassVar[Severity] = Severity.ERROR
    summary: ClassVar[str] = "A rule crashed on this statement (a bug in dsql-lint or a plugin)"
    help: ClassVar[str] = "please report the statement; the other rules still ran"

    #: The check finds nothing: the engine reports crashes itself.
    tags: ClassVar[frozenset[str] | None] = frozenset()

    def check(self, stmt: Statement, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())
