"""Run the selected rules over scripts and collect their diagnostics."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dsql_lint.model import Diagnostic, Kind, Script, Severity
from dsql_lint.rule import Context, Rule, ScriptRule, StatementRule, TransactionRule
from dsql_lint.script import build_script
from dsql_lint.settings import Settings, selected_rules
from dsql_lint.source import Source

INTERNAL_ERROR_CODE = "DSQL000"

_NOT_SQL = (Kind.PSQL_META, Kind.COPY_DATA)


@dataclass
class Linter:
    """The rules chosen by some settings, instantiated once and applied to many scripts."""

    settings: Settings = field(default_factory=Settings)
    rules: list[Rule] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.rules:
            self.rules = [rule() for rule in selected_rules(self.settings)]
        self._statement_rules = [r for r in self.rules if isinstance(r, StatementRule)]
        self._transaction_rules = [r for r in self.rules if isinstance(r, TransactionRule)]
        self._script_rules = [r for r in self.rules if isinstance(r, ScriptRule)]
        self.context = Context(options=dict(self.settings.options))

    def lint_source(self, source: Source) -> tuple[Script, list[Diagnostic]]:
        """Build the script for ``source`` and run every selected rule over it."""
        script = build_script(source)
        return script, self.lint_script(script)

    def lint_script(self, script: Script) -> list[Diagnostic]:
        """Run every selected rule over an already built script."""
        found: list[Diagnostic] = []
        for stmt in script.statements:
            if stmt.kind in _NOT_SQL:
                continue
            for srule in self._statement_rules:
                self._collect(found, srule, srule.check, stmt, script, stmt.start)
        for txn in script.transactions:
            for trule in self._transaction_rules:
                start = txn.statements[0].start if txn.statements else 0
                self._collect(found, trule, trule.check, txn, script, start)
        for crule in self._script_rules:
            self._collect(found, crule, crule.check, script, script, 0)
        found.sort(key=Diagnostic.sort_key)
        return found

    def _collect(
        self,
        found: list[Diagnostic],
        rule: Rule,
        check: Callable[[Any, Context], Iterable[Diagnostic]],
        unit: object,
        script: Script,
        where: int,
    ) -> None:
        try:
            results: Iterable[Diagnostic] = check(unit, self.context)
            found.extend(results)
        except Exception as exc:  # a crashing rule is reported, never a traceback
            line, column = script.source.position(where)
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            found.append(
                Diagnostic(
                    path=script.source.path,
                    line=line,
                    column=column,
                    end_line=line,
                    end_column=column,
                    code=INTERNAL_ERROR_CODE,
                    name="internal-error",
                    severity=Severity.ERROR,
                    message=f"rule {rule.code} ({rule.name}) crashed here: {type(exc).__name__}: {exc} "
                    f"(at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})",
                    help="this is a bug in dsql-lint or in a rule plugin; please report it with this statement",
                    url=type(rule).doc_url(),
                    start=where,
                    end=where,
                    source=script.source,
                )
            )
