"""Helpers for the catalog rule tests: findings of one rule, their text, and their fix applied."""

from __future__ import annotations

from dsql_lint.model import Diagnostic
from tests.conftest import lint


def only(sql: str, code: str) -> list[Diagnostic]:
    """Findings of ``code`` in ``sql`` (preset ``compat``)."""
    return [d for d in lint(sql, preset="compat") if d.code == code]


def flagged(sql: str, code: str) -> list[str]:
    """The source text each finding of ``code`` points at."""
    return [sql[d.start : d.end] for d in only(sql, code)]


def fixed(sql: str, code: str) -> str:
    """``sql`` with the fixes of every ``code`` finding applied."""
    edits = sorted((e for d in only(sql, code) if d.fix for e in d.fix.edits), key=lambda e: -e.start)
    for edit in edits:
        sql = sql[: edit.start] + edit.text + sql[edit.end :]
    return sql
