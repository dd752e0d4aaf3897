"""Helpers for the migration tests: lint a fixture folder and look at findings per file."""

from __future__ import annotations

import os
from pathlib import Path

from dsql_lint.config.settings import Settings
from dsql_lint.model import Diagnostic
from dsql_lint.run.lint import lint_files, make_linter

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def lint_folder(
    folder: str | Path, select: tuple[str, ...] = ("DSQL501", "DSQL502", "DSQL550"), **settings: object
) -> list[Diagnostic]:
    """Findings of the selected rules over a folder (a fixture name or a path)."""
    path = FIXTURES / folder if isinstance(folder, str) else folder
    linter = make_linter(Settings(select=list(select), **settings))  # type: ignore[arg-type]
    return lint_files([os.fspath(path)], linter).diagnostics


def by_file(found: list[Diagnostic]) -> dict[str, list[str]]:
    """Codes found per file name."""
    result: dict[str, list[str]] = {}
    for d in found:
        result.setdefault(os.path.basename(d.path), []).append(d.code)
    return result
